# Sourced (not run) by the scripts of scripts/ and testbed/: the root of Cairn's local build cache.
#
# Every artifact has ONE owner, the script that builds it; that script also answers where it is
# (`x.sh --dir`, printing one line, building and creating nothing). Every other script, and every
# test, asks the owner (dir=$("$here/../scripts/x.sh" --dir)) instead of composing the path, so
# the default root below is written here and nowhere else, and CAIRN_CACHE pointed at an empty
# directory is a fresh machine.
CAIRN_CACHE=${CAIRN_CACHE:-$HOME/.cache/cairn}; export CAIRN_CACHE
