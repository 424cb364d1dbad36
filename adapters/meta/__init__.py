"""What Meta's Graph APIs (Threads at graph.threads.net, Instagram at graph.facebook.com / graph.instagram.com)
share: the error envelope and its codes (errors.py), the client over the shared platform client (graph.py), and
the container → publish steps with their resumable handle (containers.py)."""
