"""Round 9 path checks: public dot-folders, an app's own log, YAML documents naming system paths, and their probes."""
from __future__ import annotations

import pytest

from sensor.detect import verdict
from tests.detect.wild_benign import build_request

# Dot-folders served by design (repo browsers, the Vite/pnpm dev server, Storybook, VitePress), an application's log
# under /var/log/<app>/ named alone, and playbooks/Compose/cloud-init/k8s/Salt documents naming system paths as
# mapping values, list items or keys.
BENIGN = [
    ('path', '/node_modules/.vite/deps/chunk-5QWK2JZB.js?v=9f8e7d6c'),
    ('path', '/node_modules/.pnpm/react-dom@18.3.1/node_modules/react-dom/client.js'),
    ('path', '/raw/main/.github/ISSUE_TEMPLATE/bug_report.md'),
    ('path', '/.storybook/preview.tsx?t=1718000000000'),
    ('path', '/docs/.vitepress/theme/custom.css'),
    ('path', '/browse/main/.devcontainer/devcontainer.json'),
    ('path', '/blob/main/.husky/pre-commit'),
    ('path', '/files/.changeset/README.md'),
    ('json', '/var/log/billing-api/server.log'),
    ('form', '/var/log/acme/worker.log'),
    ('json', '/var/log/myservice/app-2024-06-01.log'),
    ('query', '/var/log/gunicorn-shop/access.log'),
    ('body:text/yaml', '- hosts: db\n  become: true\n  tasks:\n    - name: tune postgres\n      ansible.builtin.lineinfile:\n        path: /etc/postgresql/16/main/postgresql.conf\n        line: shared_buffers = 1GB\n'),
    ('body:text/yaml', 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - /var/log/nginx:/var/log/nginx\n'),
    ('body:application/x-yaml', "#cloud-config\nwrite_files:\n  - path: /etc/systemd/system/app.service\n    owner: root:root\n    permissions: '0644'\n"),
    ('body:text/yaml', 'apiVersion: v1\nkind: Pod\nspec:\n  volumes:\n    - name: logs\n      hostPath:\n        path: /var/log/pods\n  containers:\n    - name: shipper\n      image: fluent/fluent-bit\n'),
    ('body:text/yaml', '/etc/nginx/nginx.conf:\n  file.managed:\n    - source: salt://nginx/files/nginx.conf\n    - user: root\n    - mode: 644\n'),
    ('json', "- name: harden ssh\n  lineinfile:\n    dest: /etc/ssh/sshd_config\n    regexp: '^PermitRootLogin'\n    line: PermitRootLogin no\n"),
]
# Secrets in dot-folders (also inside a public one or reached through it), service and system logs that LFI log
# poisoning reads, traversal into an app log, and a playbook line that reads a file rather than naming one.
ATTACKS = [
    ('path', '/.git/config'),
    ('path', '/.env'),
    ('path', '/.env.production'),
    ('path', '/.ssh/id_rsa'),
    ('path', '/.aws/credentials'),
    ('path', '/.svn/entries'),
    ('path', '/.hg/hgrc'),
    ('path', '/.DS_Store'),
    ('path', '/.vscode/sftp.json'),
    ('path', '/.idea/workspace.xml'),
    ('path', '/.docker/config.json'),
    ('path', '/.github/../.git/config'),
    ('path', '/node_modules/.vite/../../.env'),
    ('path', '/.devcontainer/.env'),
    ('path', '/.terraform/terraform.tfstate'),
    ('path', '/.npmrc'),
    ('query', '/var/log/apache2/access.log'),
    ('query', '/var/log/nginx/error.log'),
    ('json', '/var/log/auth.log'),
    ('form', '/var/log/httpd/access_log'),
    ('query', '/var/log/mysql/error.log'),
    ('json', '/var/log/vsftpd.log'),
    ('query', '../../../var/log/myapp/app.log'),
    ('form', '/var/log/myapp/../../../etc/shadow'),
    ('query', '/var/log/proftpd/proftpd.log'),
    ('json', '/var/log/postgresql/postgresql-16-main.log'),
    ('body:text/yaml', '- hosts: all\n  tasks:\n    - shell: cat /etc/nginx/nginx.conf\n    - debug: msg=done\n'),
    ('query', '/etc/nginx/sites-available/default'),
    ('form', '/var/log/nginx/access.log%00'),
    ('json', '/etc/nginx/nginx.conf'),
    ('form', 'a\n../../etc/nginx/nginx.conf'),
]


@pytest.mark.parametrize("carrier,value", BENIGN)
def test_round9_path_benign_is_clean(carrier: str, value: str, engine) -> None:
    hits = engine.inspect(build_request(carrier, value))
    assert verdict(hits) == "clean", hits


@pytest.mark.parametrize("carrier,value", ATTACKS)
def test_round9_path_attack_is_caught_as_ptrav(carrier: str, value: str, engine) -> None:
    hits = engine.inspect(build_request(carrier, value))
    assert verdict(hits) == "attack" and any(h.type == "ptrav" and h.score >= 0.5 for h in hits), hits


def test_round9_path_sets_are_distinct() -> None:
    assert len(set(BENIGN)) == len(BENIGN) and len(set(ATTACKS)) == len(ATTACKS) and not set(BENIGN) & set(ATTACKS)
