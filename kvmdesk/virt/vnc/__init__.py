"""A small RFB (VNC) client without Qt: protocol, framebuffer, reaching the display."""
