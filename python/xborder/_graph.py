"""The transfer graph (``xborder graph --format json``) as a `networkx.DiGraph`."""
from __future__ import annotations

from typing import Any


def to_networkx(document: dict) -> Any:
    """Nodes keep every key of their JSON object as attributes (``kind``, ``label``,
    ``country``, ``holder``, ``reach`` …). Edges carry the attributes of the first edge between
    two nodes (``id``, ``kind``, ``event``, ``implicit``, ``why`` …) and ``edges``, the list of
    every edge from one node to the other (a DiGraph keeps one arc per ordered pair)."""
    import networkx as nx  # only the graph needs networkx

    g = nx.DiGraph(schema_version=document.get("schema_version"))
    for node in document.get("nodes", []):
        attrs = {k: v for k, v in node.items() if k != "id"}
        g.add_node(node["id"], **attrs)
    for edge in document.get("edges", []):
        u, v = edge["from"], edge["to"]
        if g.has_edge(u, v):
            g.edges[u, v]["edges"].append(dict(edge))
        else:
            g.add_edge(u, v, **{k: x for k, x in edge.items() if k not in ("from", "to")},
                       edges=[dict(edge)])
    return g
