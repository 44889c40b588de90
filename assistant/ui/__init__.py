"""The web UI (gradio): chat with streamed, clickable citations and flags; corpus, check,
summarize and eval tabs. ``python app.py`` or ``make run`` starts it.

    from assistant.ui import create, launch
    demo = create(Assistant(store="~/.news-store"))
    launch(demo)                      # 127.0.0.1:7860; ASSISTANT_HOST / ASSISTANT_PORT / ASSISTANT_AUTH
"""

from .server import ServerOptions, create, launch, main, parse_auth

__all__ = ["ServerOptions", "create", "launch", "main", "parse_auth"]
