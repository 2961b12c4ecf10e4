// The Audit Tracker on Azure, in one resource group:
//   Container Apps (the bot: serve, 2-4 replicas; the worker; a migrate job), Azure Database for
//   PostgreSQL flexible server, Key Vault (database URL, LINK_SECRET, bot secret, metrics token),
//   Log Analytics, and the Azure Bot registration with the Microsoft Teams channel.
// Driven by m365agents.yml (arm/deploy) with infra/main.parameters.json, or by hand:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
// See docs/operations.md ("Azure and Teams").

@description('Prefix of every resource name: 3-16 lower-case letters and digits')
@minLength(3)
@maxLength(16)
param resourceBaseName string

@description('Azure region of everything but the bot registration (which is global)')
param location string = resourceGroup().location

@description('The bot\'s Microsoft Entra app (client) id: MicrosoftAppId')
param botAppId string

@description('The bot\'s client secret: MicrosoftAppPassword (kept in Key Vault)')
@secure()
param botAppPassword string

@description('Directory (tenant) id of the single-tenant bot app')
param botTenantId string = tenant().tenantId

@description('Administrator password of the PostgreSQL server (kept in Key Vault)')
@secure()
param postgresPassword string

@description('Secret that signs report download links: LINK_SECRET (kept in Key Vault)')
@secure()
@minLength(32)
param linkSecret string

@description('Bearer token for GET /metrics from outside the container: METRICS_TOKEN (kept in Key Vault)')
@secure()
param metricsToken string

@description('An existing Azure Container Registry in this resource group that holds the image')
param containerRegistryName string

@description('The image to run, e.g. myregistry.azurecr.io/audit-tracker:1.0.0 (m365agents.yml deploy pushes it)')
param containerImage string

@description('Who unknown users are told to ask: GOVERNANCE_CONTACT')
param governanceContact string = 'the Strategy & Governance team'

@description('The tracker\'s local time, an IANA zone: TRACKER_TIMEZONE (today, overdue, the schedules\' 09:00-17:00 window)')
param trackerTimezone string = 'Europe/London'

@description('Proactive messages per second: SEND_RATE_PER_SECOND (Teams allows 50 per app per tenant)')
param sendRatePerSecond string = '20'

@description('Bot replicas (state lives in PostgreSQL, so any replica serves any turn)')
@minValue(1)
param botMinReplicas int = 2

param botMaxReplicas int = 4

@description('Azure Bot pricing tier')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

var pgAdmin = 'tracker'
var pgDatabase = 'tracker'
// Key Vault Secrets User and AcrPull, built-in role definition ids.
var secretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'
var acrPullRole = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: pgAdmin
    administratorLoginPassword: postgresPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 14, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: pgDatabase
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
}

// 0.0.0.0-0.0.0.0 is Azure's "allow Azure services" rule (the container apps' outbound addresses).
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${resourceBaseName}-kv'
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgresql://${pgAdmin}:${uriComponent(postgresPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${pgDatabase}?sslmode=require'
  }
}

resource postgresPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'postgres-password'
  properties: { value: postgresPassword }
}

resource linkSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'link-secret'
  properties: { value: linkSecret }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-password'
  properties: { value: botAppPassword }
}

resource metricsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'metrics-token'
  properties: { value: metricsToken }
}

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, secretsUserRole)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRole)
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: containerRegistryName
}

resource pullImages 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, acrPullRole)
  scope: registry
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRole)
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${resourceBaseName}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

// Secrets come from Key Vault through the managed identity; the apps never see the vault's keys.
var secrets = [
  { name: 'database-url', keyVaultUrl: databaseUrlSecret.properties.secretUri, identity: identity.id }
  { name: 'link-secret', keyVaultUrl: linkSecretSecret.properties.secretUri, identity: identity.id }
  { name: 'bot-password', keyVaultUrl: botPasswordSecret.properties.secretUri, identity: identity.id }
  { name: 'metrics-token', keyVaultUrl: metricsTokenSecret.properties.secretUri, identity: identity.id }
]
var botFqdn = '${resourceBaseName}-bot.${environment.properties.defaultDomain}'
// Every variable config.Settings reads (docs/operations.md, "Configuration").
var appEnv = [
  { name: 'DATABASE_URL', secretRef: 'database-url' }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PORT', value: '3978' }
  { name: 'MicrosoftAppId', value: botAppId }
  { name: 'MicrosoftAppPassword', secretRef: 'bot-password' }
  { name: 'MicrosoftAppTenantId', value: botTenantId }
  { name: 'MicrosoftAppType', value: 'SingleTenant' }
  { name: 'ALLOWED_TENANT_IDS', value: botTenantId }
  { name: 'PUBLIC_URL', value: 'https://${botFqdn}' }
  { name: 'LINK_SECRET', secretRef: 'link-secret' }
  { name: 'SEND_RATE_PER_SECOND', value: sendRatePerSecond }
  { name: 'GOVERNANCE_CONTACT', value: governanceContact }
  { name: 'METRICS_TOKEN', secretRef: 'metrics-token' }
  { name: 'LOG_FORMAT', value: 'json' }
  { name: 'TRACKER_TIMEZONE', value: trackerTimezone }
  { name: 'TRACKER_SCHEDULES', value: 'on' }
  { name: 'ANSWER_CACHE_SIZE', value: '512' }
  { name: 'DATABASE_POOL_SIZE', value: '20' }
  { name: 'BOT_SDK', value: 'agents' }
]
var registries = [
  { server: registry.properties.loginServer, identity: identity.id }
]
var identitySetting = {
  type: 'UserAssigned'
  userAssignedIdentities: { '${identity.id}': {} }
}

resource migrateJob 'Microsoft.App/jobs@2024-03-01' = {
  name: '${resourceBaseName}-migrate'
  location: location
  identity: identitySetting
  dependsOn: [readSecrets, pullImages, database, allowAzure]
  properties: {
    environmentId: environment.id
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: 600
      replicaRetryLimit: 1
      manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 }
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'migrate'
          image: containerImage
          args: ['migrate']
          env: appEnv
          resources: { cpu: json('0.5'), memory: '1Gi' }
        }
      ]
    }
  }
}

resource botApp 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${resourceBaseName}-bot'
  location: location
  identity: identitySetting
  dependsOn: [readSecrets, pullImages, database, allowAzure]
  properties: {
    environmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 3978, transport: 'auto', allowInsecure: false }
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: containerImage
          args: ['serve']
          env: appEnv
          resources: { cpu: json('1.0'), memory: '2Gi' }
          probes: [
            { type: 'Liveness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 30, timeoutSeconds: 6 }
            { type: 'Readiness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 10, timeoutSeconds: 6 }
          ]
        }
      ]
      scale: { minReplicas: botMinReplicas, maxReplicas: botMaxReplicas }
    }
  }
}

resource workerApp 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${resourceBaseName}-worker'
  location: location
  identity: identitySetting
  dependsOn: [readSecrets, pullImages, database, allowAzure]
  properties: {
    environmentId: environment.id
    configuration: {
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: containerImage
          args: ['worker']
          env: appEnv
          resources: { cpu: json('0.5'), memory: '1Gi' }
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-azurebot'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'Audit Tracker'
    endpoint: 'https://${botApp.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppTenantId: botTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written back to env/.env.<env> by the Agents Toolkit (names upper-cased as the toolkit expects).
output PUBLIC_HOST string = botApp.properties.configuration.ingress.fqdn
output PUBLIC_URL string = 'https://${botApp.properties.configuration.ingress.fqdn}'
// The Tracker tab (manifest staticTabs and webApplicationInfo): its page, and the SSO resource its token is for
output TAB_URL string = 'https://${botApp.properties.configuration.ingress.fqdn}/tab'
output TAB_RESOURCE string = 'api://${botApp.properties.configuration.ingress.fqdn}/${botAppId}'
output BOT_APP_NAME string = botApp.name
output WORKER_APP_NAME string = workerApp.name
output MIGRATE_JOB_NAME string = migrateJob.name
output KEY_VAULT_NAME string = vault.name
output POSTGRES_HOST string = postgres.properties.fullyQualifiedDomainName
