"""Filter nodes: registration and sync (node tokens), metrics upload, and the node list for analysts."""
from __future__ import annotations

from datetime import timedelta
from typing import Optional

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import sync
from api.auth import (ADMINS, NODES, READERS, Principal, authenticate, bearer, check_role, db_session,
                      require)
from api.modelinfo import ModelUnavailable
from api.models import Node, utcnow
from api.problems import ProblemError, responses
from api.query import CURSOR_QUERY, decode_cursor, encode_cursor, page_limit
from api.schemas import NodeMetricsIn, NodeOut, NodeRegister, Page, SyncPayload

SYNC_TOUCH = timedelta(seconds=10)
router = APIRouter(prefix="/v1/nodes", tags=["nodes"], responses=responses(400, 401, 403, 422, 429))


def _out(n: Node) -> NodeOut:
    return NodeOut(id=n.id, name=n.name, version=n.version, mode=n.mode, registered_at=n.registered_at,
                   last_sync_at=n.last_sync_at, metrics=n.metrics, metrics_at=n.metrics_at)


def _own_node(session: Session, who: Principal) -> Node:
    node = session.scalar(select(Node).where(Node.tenant_id == who.tenant_id, Node.token_id == who.token_id))
    if node is None:
        raise ProblemError(409, "this node token has not registered a node yet: POST /v1/nodes/register",
                           "not-registered")
    return node


@router.post("/register", response_model=NodeOut, responses=responses(409),
             summary="Register (or re-register) the calling sensor under its node token")
def register(body: NodeRegister, who: Principal = Depends(require(*NODES)),
             session: Session = Depends(db_session)) -> NodeOut:
    node = session.scalar(select(Node).where(Node.tenant_id == who.tenant_id, Node.token_id == who.token_id))
    if node is None:
        node = session.scalar(select(Node).where(Node.tenant_id == who.tenant_id, Node.name == body.name))
        if node is not None and node.token_id not in (None, who.token_id):
            raise ProblemError(409, f"node name {body.name!r} belongs to another node token", "conflict")
        if node is None:
            node = Node(tenant_id=who.tenant_id, name=body.name)
            session.add(node)
    elif node.name != body.name:
        node.name = body.name
    node.token_id, node.version, node.mode = who.token_id, body.version, body.mode
    try:
        session.flush()
    except IntegrityError:
        raise ProblemError(409, f"node name {body.name!r} is taken", "conflict") from None
    return _out(node)


@router.get("/sync", response_model=SyncPayload, summary="Rules, IP lists and model version for the calling node",
            responses={304: {"description": "Unchanged since the ETag given in If-None-Match"}, **responses(409)})
def node_sync(request: Request, creds: Optional[HTTPAuthorizationCredentials] = Depends(bearer),
              if_none_match: Optional[str] = Header(None, max_length=1024)) -> Response:
    # The hottest endpoint (every sensor polls it): session, auth and handler run in one worker-thread hop
    # instead of one per dependency; the checks are the same as require(*NODES).
    with request.app.state.rampart.sessions() as session:
        response = _sync(request, session, check_role(authenticate(request, session, creds), NODES), if_none_match)
        session.commit()
    return response


def _sync(request: Request, session: Session, who: Principal, if_none_match: Optional[str]) -> Response:
    state = request.app.state.rampart
    node = _own_node(session, who)
    try:
        model = state.models.get()
    except ModelUnavailable:
        model = None  # the node keeps its current model; rules and lists still flow
    model_key = None if model is None else (model["name"], model["version"])
    now = utcnow()
    packs = state.packs.current(now.timestamp())
    packs_key = tuple(p.sha256 for p in packs)
    entry = state.syncs.get(who.tenant_id, who.config_rev, model_key, now.timestamp(), packs_key)
    if entry is None:
        payload = sync.build(session, who.tenant_id, model, now, packs)
        entry = sync.CachedSync(who.config_rev, model_key, packs_key, payload.pop("valid_until"), payload["etag"],
                                SyncPayload(**payload).model_dump_json().encode())
        state.syncs.put(who.tenant_id, entry)
    # a write per poll would cap sync throughput at the database's commit rate: record the sync when what the
    # node holds changes, and otherwise at most every SYNC_TOUCH
    if node.last_etag != entry.etag or node.last_sync_at is None or now - node.last_sync_at > SYNC_TOUCH:
        node.last_sync_at, node.last_etag = now, entry.etag
    headers = {"ETag": entry.etag, "Cache-Control": "no-cache"}
    if sync.etag_matches(if_none_match, entry.etag):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type="application/json", headers=headers)


@router.post("/metrics", status_code=204, responses=responses(409), summary="Upload the calling node's counters")
def upload_metrics(body: NodeMetricsIn, who: Principal = Depends(require(*NODES)),
                   session: Session = Depends(db_session)) -> Response:
    node = _own_node(session, who)
    node.metrics, node.metrics_at = dict(body.metrics), utcnow()
    if body.mode is not None:
        node.mode = body.mode
    if body.version is not None:
        node.version = body.version
    return Response(status_code=204)


@router.get("", response_model=Page[NodeOut], summary="The tenant's nodes: version, mode, last sync, metrics")
def list_nodes(who: Principal = Depends(require(*READERS)), session: Session = Depends(db_session),
               limit: int = Depends(page_limit), cursor: Optional[str] = CURSOR_QUERY) -> Page[NodeOut]:
    after = decode_cursor(cursor, (int,))
    q = select(Node).where(Node.tenant_id == who.tenant_id).order_by(Node.id).limit(limit + 1)
    if after is not None:
        q = q.where(Node.id > after[0])
    rows = list(session.scalars(q))
    return Page[NodeOut](items=[_out(n) for n in rows[:limit]],
                         next_cursor=encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None)


@router.get("/{node_id}", response_model=NodeOut, responses=responses(404), summary="One node")
def get_node(node_id: int = Path(ge=1, le=2**62), who: Principal = Depends(require(*READERS)),
             session: Session = Depends(db_session)) -> NodeOut:
    node = session.scalar(select(Node).where(Node.tenant_id == who.tenant_id, Node.id == node_id))
    if node is None:
        raise ProblemError(404, "no such node", "not-found")
    return _out(node)


@router.delete("/{node_id}", status_code=204, responses=responses(404), summary="Forget a node")
def delete_node(node_id: int = Path(ge=1, le=2**62), who: Principal = Depends(require(*ADMINS)),
                session: Session = Depends(db_session)) -> Response:
    node = session.scalar(select(Node).where(Node.tenant_id == who.tenant_id, Node.id == node_id))
    if node is None:
        raise ProblemError(404, "no such node", "not-found")
    session.delete(node)
    return Response(status_code=204)
