"""Platform connectors (Zalo, Telegram, Messenger): one module per platform over
a small shared core, registered in credentials.yml. See ARCHITECTURE.md."""
