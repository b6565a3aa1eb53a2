"""Small charts of an analysis, painted with QPainter so they look the same on screen and in files.

Each chart is a QWidget whose drawing lives in `paint_on(painter, rect)`, which measures text
against the painter's own device; so one code path draws on screen, into a QImage (PNG) and into
a QSvgGenerator (SVG) (`chart_files`). Every chart writes its numbers (beside each bar, in each
cell, on top of each stack): readers read figures instead of estimating lengths. The same
numbers, in words, are the widget's accessible description, for screen readers and for the
tooltip-less keyboard user.

`chart` holds what every chart shares; `bar_chart`, `cooccurrence_matrix` and `timeline_chart`
are the three kinds; `chart_group` draws several as one picture. Their data, colours, scales and
labels are plain values from `desktop_app.core` (`chart_data`, `chart_colours`, `chart_scales`,
`chart_labels`).
"""
