"""Moving content in and out: every import format, format detection, the import report, the fast path of `dateline
import`, comment import, and `dateline export`."""
