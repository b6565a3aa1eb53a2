"""A chart as a file: PNG for slides and documents, SVG for print, on white at its natural size.

The window's size and colours never leak into a file: the chart is painted afresh at
`Chart.export_size()` in `EXPORT_CHART` colours (unless told otherwise), and written through a
temporary file so a failed write leaves no half picture behind.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgGenerator

from desktop_app.core.chart_colours import EXPORT_CHART, ChartColours
from desktop_app.io.atomic_write import write_bytes_atomically
from desktop_app.ui.analysis.charts.chart import Chart

SVG_DPI = 96  # the screen's logical DPI, so point sizes keep their proportions in SVG


def render_image(chart: Chart, scale: float = 1, colours: ChartColours = EXPORT_CHART) -> QImage:
    """The chart at its natural size, `scale` device pixels a logical pixel."""
    size = chart.export_size()
    image = QImage(
        math.ceil(size.width() * scale),
        math.ceil(size.height() * scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(scale)
    image.fill(QColor(colours.paper))
    painter = QPainter(image)
    chart.paint_on(painter, QRectF(0, 0, size.width(), size.height()), colours)
    painter.end()
    return image


def render_png(chart: Chart, scale: float = 2, colours: ChartColours = EXPORT_CHART) -> bytes:
    """The chart as PNG bytes, `scale` device pixels a logical pixel."""
    image = render_image(chart, scale, colours)
    # Record the scale as resolution, so documents place the image at its logical size.
    dots_per_metre = round(96 / 0.0254 * scale)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not QImageWriter(buffer, QByteArray(b"png")).write(image):
        raise OSError("could not encode the chart as PNG")
    buffer.close()
    return bytes(data.data())


def render_svg(chart: Chart, colours: ChartColours = EXPORT_CHART) -> bytes:
    """The chart as SVG bytes; its text stays text, with the text alternative as description."""
    size = chart.export_size()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setResolution(SVG_DPI)
    generator.setTitle(chart.title)
    generator.setDescription(chart.text_alternative())
    painter = QPainter(generator)
    chart.paint_on(painter, QRectF(0, 0, size.width(), size.height()), colours)
    painter.end()
    buffer.close()
    return bytes(data.data())


def save_png(
    chart: Chart, path: Path | str, scale: float = 2, colours: ChartColours = EXPORT_CHART
) -> None:
    """Write the chart as a PNG at `scale` times its logical size, atomically."""
    write_bytes_atomically(Path(path), render_png(chart, scale, colours))


def save_svg(chart: Chart, path: Path | str, colours: ChartColours = EXPORT_CHART) -> None:
    """Write the chart as an SVG file, atomically."""
    write_bytes_atomically(Path(path), render_svg(chart, colours))
