"""The `zhibiao` command: offline extraction, and the local stack."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _extracted(paths: list[str], failed: list[str] | None = None):
    """(path, DocumentExtraction) for each file that reads; a file that cannot is said on
    stderr (and its name added to `failed`) and the others go on."""
    from zhibiao.parsing.extraction import extract_bytes
    from zhibiao.plumbing.errors import PermanentError

    for path in map(Path, paths):
        try:
            yield path, extract_bytes(path.read_bytes(), path.name)
        except PermanentError as exc:
            print(f"{path.name}: failed: {exc}", file=sys.stderr)
            if failed is not None:
                failed.append(path.name)


def cmd_extract(args: argparse.Namespace) -> int:
    failed: list[str] = []
    for path, result in _extracted(args.paths, failed):
        ex = result.extraction
        if args.jsonl:
            for fact in ex.facts:
                sys.stdout.write(json.dumps({"doc": path.name, **fact.to_dict()}, ensure_ascii=False) + "\n")
        elif not args.documents:
            meta = ex.meta
            print(
                f"{path.name}\t{meta.doc_type}\t{meta.region}\t{meta.plan_year}\t"
                f"{len(ex.facts)} facts\t{len(ex.sections)} sections\t{len(ex.tasks)} tasks"
            )
        if args.documents:
            sys.stdout.write(
                json.dumps({"doc": path.name, **ex.meta.to_dict(), "pages": result.pages}, ensure_ascii=False) + "\n"
            )
    return 1 if failed else 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Every catalogue name with a figure in its clause and no fact, with the reason."""
    from collections import Counter

    from zhibiao.domain.facts_explain import explain

    reasons: Counter = Counter()
    for path, result in _extracted(args.paths):
        for miss in explain(result.extraction):
            reasons[miss.reason.split("«")[0].strip()] += 1
            print(f"{path.name}\t{miss.indicator}\t{miss.reason}\t{miss.clause}")
    print(f"\n{sum(reasons.values())} misses", file=sys.stderr)
    for reason, n in reasons.most_common():
        print(f"{n:6d}  {reason}", file=sys.stderr)
    return 0


def cmd_subjects(args: argparse.Namespace) -> int:
    """The subjects of figures outside the catalogue over a set of reports, most documents
    first: the candidates for the catalogue."""
    from collections import Counter

    documents: Counter = Counter()
    figures: Counter = Counter()
    for _, result in _extracted(args.paths):
        facts = result.extraction.facts
        subjects = [f.subject for f in facts if f.indicator is None and not f.subject_unclear]
        figures.update(subjects)
        documents.update(set(subjects))
    print("documents\tfigures\tsubject")
    for subject, n in sorted(documents.items(), key=lambda kv: (-kv[1], -figures[kv[0]], kv[0]))[: args.top]:
        print(f"{n}\t{figures[subject]}\t{subject}")
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    from zhibiao.tooling.local_stack import run_stack

    return run_stack(samples=args.samples, wait=not args.no_wait)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhibiao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract files offline, no services needed")
    ex.add_argument("paths", nargs="+")
    ex.add_argument("--jsonl", action="store_true", help="one fact per line as JSON")
    ex.add_argument("--documents", action="store_true", help="one document's metadata per line as JSON")
    ex.set_defaults(func=cmd_extract)
    why = sub.add_parser("explain", help="list catalogue names with a figure beside them and no fact, with the reason")
    why.add_argument("paths", nargs="+")
    why.set_defaults(func=cmd_explain)
    subj = sub.add_parser("subjects", help="subjects of the figures outside the catalogue, with counts")
    subj.add_argument("paths", nargs="+")
    subj.add_argument("--top", type=int, default=100)
    subj.set_defaults(func=cmd_subjects)
    up = sub.add_parser("up", help="run ingest, extract, store and gateway locally")
    up.add_argument("--samples", help="copy these files into the bucket and report on them")
    up.add_argument("--no-wait", action="store_true")
    up.set_defaults(func=cmd_up)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
