"""The demo: a made-up two-outlet news site (content, story assembly, HTTP server) that `newsetl demo` ingests."""
