"""deckgen's library API: load an outline and build its PowerPoint deck and PDF brief."""
from __future__ import annotations

from .batch import BatchRow, build_many
from .batch import summary as batch_summary
from .build import FORMATS, BuildResult, audience_names, build, check, check_deck, epoch_for, load, resolve_audiences
from .errors import DeckgenError, OutlineError, Problem
from .export import CHART_FORMATS, export_charts
from .importing import ImportResult, import_document
from .output import request_stop
from .preview import PreviewResult, preview
from .pull import PullResult, pull
from .serve import Server, serve
from .report import audience_table, outline_schema, plan_json, template_layouts
from .starter import init_outline
from .watch import WatchEvent, watch

__version__ = "0.1.0"
__all__ = ["CHART_FORMATS", "FORMATS", "BatchRow", "BuildResult", "DeckgenError", "ImportResult", "OutlineError", "PreviewResult",
           "Problem", "PullResult", "Server", "WatchEvent", "audience_names", "audience_table", "batch_summary", "build",
           "build_many", "check", "check_deck", "epoch_for", "export_charts", "import_document", "init_outline", "load",
           "outline_schema", "plan_json", "preview", "pull", "request_stop", "resolve_audiences", "serve", "template_layouts", "watch"]
