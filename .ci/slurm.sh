#!/usr/bin/env bash
# Start a throw-away single-node Slurm (slurmctld + slurmd + munge) for the job-array test and
# export COURSEKIT_SLURM=1. Usage (as root, on Debian, no systemd): source .ci/slurm.sh
# Installs Debian's slurm-wlm daemons and munge when missing, writes /etc/slurm/slurm.conf for
# this host (all its CPUs, one partition `debug`), starts the daemons by hand (package units are
# not started on these machines) and waits until the node is idle. Safe to source twice.
# Stop it: kill "$(cat /run/slurm/slurmctld.pid)" "$(cat /run/slurm/slurmd.pid)"
#          kill "$(cat /run/munge/munged.pid)"

_coursekit_slurm_ok="$(
    set -euo pipefail
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client \
            munge >&2
    fi
    mkdir -p /run/munge && chown munge:munge /run/munge
    if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        runuser -u munge -- /usr/sbin/munged >&2
        sleep 1
    fi
    munge -n | unmunge >/dev/null
    mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
    chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm
    host="$(hostname -s)"
    getent hosts "$host" >/dev/null || { echo "slurm.sh: $host does not resolve" >&2; exit 1; }
    cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=$host
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    pgrep -x slurmctld >/dev/null || slurmctld >&2
    pgrep -x slurmd >/dev/null || slurmd >&2
    for _ in $(seq 30); do
        sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && { echo ok; exit 0; }
        sleep 1
    done
    echo "slurm.sh: the node did not become idle; see /var/log/slurm/" >&2
    exit 1
)"
if [ "$_coursekit_slurm_ok" = ok ]; then
    export COURSEKIT_SLURM=1
    echo "COURSEKIT_SLURM=1 ($(sinfo -h -o '%P %D nodes %c CPUs %t'))"
else
    echo "slurm.sh: could not start Slurm; the Slurm test will be skipped" >&2
fi
unset _coursekit_slurm_ok
