"""The web server: JSON API, server-rendered pages, request-size limits and the app."""
