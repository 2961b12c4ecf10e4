"""Teams-facing code: adapter, web server, activity handler, routing, journeys, proactive sending."""
