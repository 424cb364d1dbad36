"""/mcp: the Model Context Protocol endpoint, so AI agents post through the same services as the REST API.

The official `mcp` SDK serves stateless streamable HTTP with JSON answers (any worker answers any request),
mounted inside the Litestar app. An API key authenticates each HTTP request as on /v1; each tool then needs the
scope of its REST route, and a domain error becomes a tool error carrying the REST error envelope.
"""
