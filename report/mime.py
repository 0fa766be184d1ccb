"""The MIME types of the report's own display outputs, shared by the kernel side and the builder."""

CHART_MIME = "application/vnd.report.chart+json"
INLINE_MIME = "application/vnd.report.inline+json"
