"""The formats `dateline import` reads: plain text, RSS and Atom feeds, WordPress exports, ninjs."""
