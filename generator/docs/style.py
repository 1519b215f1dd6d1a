"""How the charts look: sizes and colours, shared by the layout and the painter."""

from __future__ import annotations

DPI = 100
NODE_W = 4.0
LINE_H = 0.24

COLOURS = {
    "client": ("#fde2e2", "#c0392b"),
    "host": ("#ff6b6b", "#922b21"),
    "workload": ("#d6eaf8", "#2874a6"),
    "service": ("#fadbd8", "#922b21"),
    "claim": ("#d5f5e3", "#1e8449"),
    "class": ("#fcf3cf", "#b7950b"),
    "sink": ("#eaecee", "#566573"),
}
LINKS = {"route": "#c0392b", "call": "#2874a6", "mount": "#1e8449", "bind": "#b7950b", "telemetry": "#7f8c8d"}
CLASS_COLOURS = ("#2e86c1", "#28b463", "#d68910", "#8e44ad", "#c0392b", "#17a589")
