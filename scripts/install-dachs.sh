#!/usr/bin/env bash
# Installs GAVO DaCHS from Debian (gavodachs2-server, with PostgreSQL 15's pgsphere and q3c), the real TAP server of
# the DaCHS tests (tests/Broker.EndToEnd.Tests/Dachs). The tests never use the system service: they start their own
# PostgreSQL cluster, DaCHS root and port. But the package's postinst creates a "gavo" database in the system cluster
# and runs `dachs init` there, and fails when no cluster is running (containers start no services). So a stopped
# system cluster is started for the install and stopped again, and a DaCHS the install may have started is stopped.
# (pgsphere: bookworm's postgresql-15-pgsphere 1.1.1+2021-11-10 provides extension version 1.2.0; a fresh
# `dachs init` loads DaCHS's MOC compatibility operators on it without error. Only re-importing //adql into an
# initialised database fails, with "operator && already exists" — the tests always start from a fresh cluster.)
set -euo pipefail
status=$(dpkg-query -W -f='${Status}' gavodachs2-server 2>/dev/null || true)
[ "$status" = "install ok installed" ] && exit 0

export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
[ -x /usr/lib/postgresql/15/bin/initdb ] ||
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql-15 >/dev/null
pg_lsclusters -h | grep -q '^15 main ' || pg_createcluster 15 main >/dev/null
started=0
if ! pg_lsclusters -h | awk '$1 == 15 && $2 == "main" && $4 == "online"' | grep -q .; then
  pg_ctlcluster 15 main start
  started=1
fi
stop_cluster() { [ "$started" = 1 ] && pg_ctlcluster 15 main stop || true; }
trap stop_cluster EXIT
# Either installs afresh or finishes an install whose postinst failed earlier.
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends gavodachs2-server >/dev/null
/etc/init.d/dachs stop >/dev/null 2>&1 || true
echo "GAVO DaCHS $(dpkg-query -W -f='${Version}' gavodachs2-server) installed"
