"""The hotline staff console, served by the bot service under /staff."""
