"""Performance benchmarks for kvmdesk on generated libvirt test-driver hosts.

``python -m benchmarks`` (or ``make bench``) measures start-up time, idle CPU,
memory, lifecycle-event latency and GUI-thread stalls, prints a table against
the targets and writes ``benchmarks/results.json``.  Every figure is measured
in a fresh child process (``python -m benchmarks.child``) that drives the real
application objects; the parent only generates the hosts, spawns, times and
reports.
"""
