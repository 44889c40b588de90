"""Start the news assistant's web UI on the offline default, with the shipped corpus ingested.

    python app.py            # http://127.0.0.1:7860 (ASSISTANT_HOST, ASSISTANT_PORT, ASSISTANT_AUTH)
"""

import sys

from assistant.ui import main

if __name__ == "__main__":
    sys.exit(main())
