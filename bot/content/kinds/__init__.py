"""One module per kind of content file: what it holds, as plain objects, and the reader that checks it.

A reader gets the parsed YAML of one file and adds what is wrong to `problems`;
it knows nothing of the other kinds (bot/content/reading.py puts them together).
"""
