"""Services on QtCore and asyncio: connections, events, stats, actions. No widgets."""
