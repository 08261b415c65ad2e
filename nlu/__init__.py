"""Understanding Vietnamese as young people type it.

Plain-Python text helpers (`nlu.normalise`, `nlu.phrases`) that `bot/` may use,
and the Rasa components (`nlu.components`), the only module here that imports
Rasa at load time.
"""
