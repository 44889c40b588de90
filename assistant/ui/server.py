"""Start the web UI: host, port and optional basic auth from the environment; analytics off."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from ..config import PACKAGE_ROOT
from ..errors import AssistantError, ConfigError
from .style import CSS

# Before gradio is imported anywhere: no usage analytics, no version check.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerOptions:
    """Where and how the UI listens.

    Attributes:
        host: ``ASSISTANT_HOST`` — interface to bind (127.0.0.1: this machine only).
        port: ``ASSISTANT_PORT`` — TCP port.
        auth: ``ASSISTANT_AUTH`` — ``user:password`` (several separated by commas) for basic
            login; empty: no login. Never logged.
        chat_concurrency: ``ASSISTANT_UI_CONCURRENCY`` — chats answered at the same time.
    """

    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[tuple[str, str], ...] = ()
    chat_concurrency: int = 4

    def __repr__(self) -> str:  # the password must not reach a log line
        return (f"ServerOptions(host={self.host!r}, port={self.port}, "
                f"auth={'set' if self.auth else 'off'}, chat_concurrency={self.chat_concurrency})")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "ServerOptions":
        env = dict(os.environ if env is None else env)
        host = env.get("ASSISTANT_HOST") or "127.0.0.1"
        try:
            port = int(env.get("ASSISTANT_PORT") or 7860)
            if not 0 <= port <= 65535:
                raise ValueError
        except ValueError:
            raise ConfigError(f"ASSISTANT_PORT={env.get('ASSISTANT_PORT')!r} is not a TCP port") from None
        try:
            conc = int(env.get("ASSISTANT_UI_CONCURRENCY") or 4)
            if conc < 1:
                raise ValueError
        except ValueError:
            raise ConfigError("ASSISTANT_UI_CONCURRENCY must be a whole number ≥ 1") from None
        return cls(host=host, port=port, auth=parse_auth(env.get("ASSISTANT_AUTH") or ""),
                   chat_concurrency=conc)


def parse_auth(raw: str) -> tuple[tuple[str, str], ...]:
    """``user:pass[,user2:pass2]`` → pairs. The message on a bad value never repeats it."""
    pairs = []
    for item in (p.strip() for p in raw.split(",")):
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user or not password:
            raise ConfigError("ASSISTANT_AUTH must look like user:password (several separated "
                              "by commas)")
        pairs.append((user, password))
    return tuple(pairs)


FONT_STACK = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial",
              "sans-serif"]
MONO_STACK = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


# Clicking an [n] marker opens that source in the sources panel (capture phase, so the chat's own
# link handling never navigates away).
HEAD = """
<script>
document.addEventListener('click', function (e) {
  var a = e.target && e.target.closest ? e.target.closest('a.cite') : null;
  if (!a) return;
  e.preventDefault(); e.stopPropagation();
  var id = a.getAttribute('data-cite') || (a.getAttribute('href') || '').replace(/^#/, '');
  var el = id ? document.getElementById(id) : null;
  if (!el) return;
  el.open = true;
  el.scrollIntoView({block: 'nearest', behavior: 'smooth'});
  el.classList.remove('flash'); void el.offsetWidth; el.classList.add('flash');
}, true);
</script>
"""


def theme():
    import gradio as gr

    # System fonts only: the default theme would fetch Google Fonts, and this runs offline.
    return gr.themes.Soft(primary_hue="blue", neutral_hue="slate", font=FONT_STACK,
                          font_mono=MONO_STACK)


def create(assistant=None, *, upload_dir: str | Path | None = None,
           evals_dir: str | Path | None = None, chat_concurrency: int = 4):
    """Build the page (``gr.Blocks``) over ``assistant`` (default: the configured store)."""
    from ..core import Assistant
    from .blocks import UI, default_upload_dir

    assistant = assistant or Assistant()
    ui = UI(assistant, Path(upload_dir) if upload_dir else default_upload_dir(assistant),
            Path(evals_dir) if evals_dir else PACKAGE_ROOT / "evals",
            chat_concurrency=chat_concurrency)
    demo = ui.build()
    demo.queue(default_concurrency_limit=2, max_size=64)
    return demo


def launch(demo, options: ServerOptions | None = None, *, block: bool = True,
           max_file_mb: float = 20.0, quiet: bool = False):
    """Serve ``demo``; returns ``(app, local_url)``. ``block=False`` returns at once (tests)."""
    options = options or ServerOptions.from_env()
    auth = list(options.auth) or None
    app, url, _ = demo.launch(
        server_name=options.host, server_port=options.port, auth=auth,
        auth_message="News assistant: sign in" if auth else None,
        prevent_thread_lock=not block, share=False, inbrowser=False, show_error=True,
        quiet=quiet, ssr_mode=False, max_file_size=int(max_file_mb * 1024 * 1024),
        footer_links=["api"], theme=theme(), css=CSS, head=HEAD, mcp_server=False, pwa=False)
    return app, url


def main(argv: list[str] | None = None) -> int:
    """``python app.py``: ingest the shipped corpus into an empty store, then serve the UI."""
    p = argparse.ArgumentParser(prog="app.py", description="News assistant web UI")
    p.add_argument("--store", help="store folder or http://host:port (default: ASSISTANT_STORE)")
    p.add_argument("--host", help="interface to bind (default: ASSISTANT_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: ASSISTANT_PORT or 7860)")
    p.add_argument("--no-ingest", action="store_true",
                   help="do not ingest the shipped corpus into an empty store")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        from ..core import Assistant

        options = ServerOptions.from_env()
        if args.host or args.port is not None:
            options = ServerOptions(host=args.host or options.host,
                                    port=options.port if args.port is None else args.port,
                                    auth=options.auth, chat_concurrency=options.chat_concurrency)
        assistant = Assistant(store=args.store or None)
        if not args.no_ingest:
            report = assistant.ensure_corpus()
            if report is not None:
                log.info("ingested %d articles from %s", len(report.added),
                         assistant.settings.corpus_dir)
        log.info("loading models ...")
        assistant.warm()
        # Audit the corpus in the background so the document list shows flag counts soon.
        threading.Thread(target=_audit_quietly, args=(assistant,), daemon=True).start()
        demo = create(assistant, chat_concurrency=options.chat_concurrency)
        print(f"News assistant on http://{options.host}:{options.port}"
              + (" (login required)" if options.auth else ""), flush=True)
        launch(demo, options, max_file_mb=assistant.settings.max_file_mb)
        return 0
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _audit_quietly(assistant) -> None:
    try:
        assistant.check()
    except Exception:  # noqa: BLE001 - the Check tab shows the error when asked
        log.warning("background audit failed", exc_info=True)
