"""The Qt-free heart of Claimmark: text, sentences, anchors, highlight layers, the codebook.

Nothing here imports Qt or SQLAlchemy, so it can be tested, scripted and used from the command line.
"""
