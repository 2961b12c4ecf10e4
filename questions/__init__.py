"""Free-text questions to the tracker bot: parse plain words into an intent and filters.

Pure: no database, no botbuilder.  The caller passes what the store knows as a
:class:`Vocabulary` and the date the question is asked.
"""

from domain.question import Intent, Question
from questions.help import EXAMPLES
from questions.parser import parse
from questions.suggest import SUGGESTIONS, suggest
from questions.vocabulary import DEFAULT_GROUP_SYNONYMS, Vocabulary

__all__ = ["DEFAULT_GROUP_SYNONYMS", "EXAMPLES", "Intent", "Question", "SUGGESTIONS", "Vocabulary", "parse", "suggest"]
