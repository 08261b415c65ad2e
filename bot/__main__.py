"""Command line: `python -m bot <command>`; `python -m bot --help` lists them."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from bot.settings import Settings
from contract.paths import ROOT

DEFAULT_MODEL = ROOT / "models" / "current.tar.gz"


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.service import create_app
    from contract.secrets import require_secrets

    require_secrets("bot")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # ws="none": Rasa pins websockets 10, which uvicorn's websocket support no
    # longer imports; the bot service speaks plain HTTP (and server-sent events).
    # No access log: its lines would carry the web chat's sender id in query strings.
    uvicorn.run(
        create_app(Settings.from_env()), host=args.host, port=args.port, log_level="info", ws="none", access_log=False
    )
    return 0


def cmd_run_local(args: argparse.Namespace) -> int:
    from bot.localrun import run_until_interrupted

    run_until_interrupted(Path(args.model))
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from nlu.parse import parsed_lines

    for result in parsed_lines(Path(args.model), sys.stdin):
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from bot.content.check import check_project_content

    problems = check_project_content(Path(args.dir))
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} lỗi cần sửa.", file=sys.stderr)
        return 1
    print("Nội dung hợp lệ ✅")
    return 0


def cmd_content_preview(args: argparse.Namespace) -> int:
    from bot.content import load_templates
    from bot.content.preview import preview

    templates, problems = load_templates(Path(args.dir))
    if problems:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        return 1
    try:
        print(preview(templates, args.kind, args.id, args.channel))
    except (KeyError, StopIteration):
        print(f"Không có {args.kind} nào tên '{args.id}' trong {args.dir}", file=sys.stderr)
        return 1
    return 0


def _offer_checker():
    from bot.content import load_templates
    from bot.offers import OfferChecker

    templates, problems = load_templates(Settings.from_env().content_dir)
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    return OfferChecker(templates.content), templates


def cmd_check_offer(args: argparse.Namespace) -> int:
    from bot.offers.reply import verdict_for_person

    checker, templates = _offer_checker()
    if args.jsonl:
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(checker.check(json.loads(line)["text"]).as_json(), ensure_ascii=False))
        return 0
    verdict = checker.check(sys.stdin.read())
    if args.json:
        print(json.dumps(verdict.as_json(), ensure_ascii=False, indent=2))
    else:
        print(verdict_for_person(templates, verdict, channel="cli"))
    return 0


def _weighing(checker, stored) -> str:
    """Which weighing the checker uses: the hand weights, or the hand weights raised by the learned model."""
    model = checker.learned or stored
    return model.describe() if model is not None else "hand weights (no learned model stored)"


def cmd_eval_offers(args: argparse.Namespace) -> int:
    from bot.offers.evaluation import (
        evaluate,
        informal_ads,
        lures_of_kind,
        only_usable,
        read_labelled,
        report,
        short_ads,
        summary,
    )
    from bot.offers.learned import load
    from bot.offers.splits import split_files

    checker, _ = _offer_checker()
    print(f"Weighing: {_weighing(checker, load())}\n")
    if args.files:
        sets = [("given files", read_labelled(Path(f) for f in args.files))]
    else:
        sets = [(split, read_labelled(split_files(split))) for split in args.split]
    failed = []
    for name, rows in sets:
        if args.only_usable:
            rows = only_usable(rows, Path(args.only_usable))
        # The test split is reported by family only: its items are not for reading while tuning.
        items = name != "test"
        print(f"# {name}\n")
        # The gates apply to the full texts and to the texts cut short; the subsets are for reading.
        for heading, subset, limit, gated in (
            (f"Full texts ({len(rows)})", rows, None, True),
            (f"Every text cut to its first {args.truncate} characters", rows, args.truncate, True),
            (
                f"Short ads alone (ordinary ads of at most {args.truncate} characters, and every lure)",
                short_ads(rows),
                None,
                False,
            ),
            (
                "Informal ads alone (ordinary ads from Chợ Tốt and groups, and every lure)",
                informal_ads(rows),
                None,
                False,
            ),
            (
                "Verbatim lures alone (ad texts as written, quoted; and every ordinary ad)",
                lures_of_kind(rows, ("verbatim", "quoted")),
                None,
                False,
            ),
            (
                "Reported lures alone (offers as victims reported them; and every ordinary ad)",
                lures_of_kind(rows, ("reported",)),
                None,
                False,
            ),
        ):
            result = evaluate(checker, subset, limit=limit)
            print(report(result, heading, items=items))
            below = (args.gate_recall is not None and result.recall < args.gate_recall) or (
                args.gate_false_alarms is not None and result.false_positive_rate > args.gate_false_alarms
            )
            if gated and below:
                failed.append(f"{name}, {heading}: {summary(result)}")
    for failure in failed:
        print(f"BELOW THE GATE: {failure}", file=sys.stderr)
    return 1 if failed else 0


def cmd_quiz_stats(args: argparse.Namespace) -> int:
    from bot.content import load_templates
    from bot.quiz import QuizBook
    from bot.store import Database

    settings = Settings.from_env()
    templates, _ = load_templates(settings.content_dir)
    for quiz in QuizBook(Database(settings.database_url), templates.content.quizzes).stats():
        average = f"{quiz.average_score:.1f}" if quiz.average_score is not None else "-"
        print(f"{quiz.quiz_id}: {quiz.starts} starts, {quiz.completions} completions, average score {average}")
        for question in quiz.questions:
            print(f"  {question.question_id:<6} answered {question.answered:>5}  correct {question.correct_share:6.1%}")
    return 0


def _new_password(args: argparse.Namespace):
    """From stdin's first line (--password-stdin), or asked twice; None when the two differ."""
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != password:
        print("The two passwords differ; nothing was changed.", file=sys.stderr)
        return None
    return password


def _staff_database():
    from bot.store import Database

    return Database(Settings.from_env().database_url)


def cmd_staff_add(args: argparse.Namespace) -> int:
    from bot.console.accounts import AccountError, add_account

    password = _new_password(args)
    if password is None:
        return 1
    try:
        add_account(_staff_database(), args.name, args.role, password)
    except AccountError as error:
        print(f"Not created: {error}", file=sys.stderr)
        return 1
    print(f"Created {args.role} account {args.name!r}.")
    return 0


def cmd_staff_deactivate(args: argparse.Namespace) -> int:
    from bot.console.accounts import AccountError, deactivate
    from bot.handoff.cases import audit

    db = _staff_database()
    try:
        deactivate(db, args.name)
    except AccountError as error:
        print(f"Not deactivated: {error}", file=sys.stderr)
        return 1
    audit(db, args.name, "deactivated", detail="command line")
    print(f"Deactivated {args.name!r}: it cannot log in, and its open sessions end at their next request.")
    return 0


def cmd_staff_reset_password(args: argparse.Namespace) -> int:
    from bot.console.accounts import AccountError, reset_password
    from bot.handoff.cases import audit

    password = _new_password(args)
    if password is None:
        return 1
    db = _staff_database()
    try:
        reset_password(db, args.name, password)
    except AccountError as error:
        print(f"Not changed: {error}", file=sys.stderr)
        return 1
    audit(db, args.name, "password_reset", detail="command line")
    print(f"New password for {args.name!r}: sessions opened with the old one end at their next request.")
    return 0


def _known_scams_editor():
    from bot.content import load_templates
    from bot.knownscams.store import ListEditor, Protected
    from bot.store import Database

    settings = Settings.from_env()
    templates, problems = load_templates(settings.content_dir)
    if problems:
        # Without a good hotlines.yml the hotlines cannot be refused: nothing is imported.
        raise SystemExit("\n".join(str(p) for p in problems))
    protected = Protected.from_hotlines(templates.content.hotlines.values())
    return ListEditor(Database(settings.database_url), protected)


def cmd_known_scams_import(args: argparse.Namespace) -> int:
    from bot.knownscams.csvfile import read_rows

    editor = _known_scams_editor()
    entries, problems = read_rows(Path(args.file), editor.protected)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{len(problems)} bad rows: nothing was imported.", file=sys.stderr)
        return 1
    result = editor.add_all(entries, added_by=args.by)
    print(f"{result.added} added, {result.updated} updated (a later checked date), {result.unchanged} already listed.")
    return 0


def cmd_known_scams_export(args: argparse.Namespace) -> int:
    from bot.knownscams.csvfile import write_rows

    entries = _known_scams_editor().entries()
    if args.file == "-":
        write_rows(entries, sys.stdout)
    else:
        with open(args.file, "w", encoding="utf-8", newline="") as out:
            count = write_rows(entries, out)
        print(f"{count} entries written to {args.file}.")
    return 0


def cmd_analytics_purge(args: argparse.Namespace) -> int:
    from bot.analytics import purge
    from bot.store import Database

    settings = Settings.from_env()
    months = args.months if args.months is not None else settings.analytics_retention_months
    removed = purge(Database(settings.database_url), months)
    print(f"Deleted {removed} analytics events older than {months} months.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from bot.analytics.report import ReportError, write_report
    from bot.store import Database

    try:
        write_report(Database(Settings.from_env().database_url), args.month, Path(args.out), args.channel)
    except ReportError as error:
        print(f"No report: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from migrations import upgrade_url

    revision = upgrade_url(Settings.from_env().database_url)
    print(f"The application database is at revision {revision} (the newest).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the bot service (NLG endpoint, web chat)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=cmd_serve)

    run_local = commands.add_parser("run-local", help="run Rasa, the action server and the bot service")
    run_local.add_argument("--model", default=str(DEFAULT_MODEL))
    run_local.set_defaults(handler=cmd_run_local)

    parse = commands.add_parser("parse", help="one message per stdin line -> one JSON result per line")
    parse.add_argument("--model", default=str(DEFAULT_MODEL))
    parse.set_defaults(handler=cmd_parse)

    content = commands.add_parser("content", help="campaign content").add_subparsers(dest="action", required=True)
    check = content.add_parser("check", help="check content/ and name the file and line of every mistake")
    check.add_argument("dir", nargs="?", default=str(ROOT / "content"))
    check.set_defaults(handler=cmd_content_check)
    from bot.content.preview import KINDS

    show = content.add_parser("preview", help="show a message, quiz, FAQ answer, hotline or sign as a user sees it")
    show.add_argument("kind", choices=KINDS)
    show.add_argument("id")
    show.add_argument("--channel", default="webchat", choices=["webchat", "telegram", "zalo", "messenger"])
    show.add_argument("--dir", default=str(ROOT / "content"))
    show.set_defaults(handler=cmd_content_preview)

    check_offer = commands.add_parser("check-offer", help="check a job offer read from stdin")
    output = check_offer.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the verdict as one JSON object")
    output.add_argument(
        "--jsonl", action="store_true", help='JSON Lines in (each with "text"), one result per line out'
    )
    check_offer.set_defaults(handler=cmd_check_offer)

    eval_offers = commands.add_parser(
        "eval-offers", help="recall, false alarms and per-sign precision/recall on labelled offers, per split"
    )
    eval_offers.add_argument("files", nargs="*", help="JSON Lines files instead of the committed splits")
    eval_offers.add_argument(
        "--split",
        nargs="+",
        choices=["train", "dev", "test"],
        default=["train", "dev"],
        help="which committed splits (tests/data/offers/); test only when asked",
    )
    eval_offers.add_argument("--truncate", type=int, default=300, help="also evaluate every text cut to N characters")
    eval_offers.add_argument("--only-usable", metavar="REVIEW", help="keep only the items a review file marks usable")
    eval_offers.add_argument("--gate-recall", type=float, help="exit 1 when recall is below this (any view)")
    eval_offers.add_argument("--gate-false-alarms", type=float, help="exit 1 when false alarms are above this")
    eval_offers.set_defaults(handler=cmd_eval_offers)

    quiz = commands.add_parser("quiz", help="quizzes").add_subparsers(dest="action", required=True)
    stats = quiz.add_parser("stats", help="starts, completions, scores and per-question results")
    stats.set_defaults(handler=cmd_quiz_stats)

    staff = commands.add_parser("staff", help="hotline staff accounts").add_subparsers(dest="action", required=True)
    add = staff.add_parser("add", help="create a console account (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", choices=["hotline", "campaign", "admin"], required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(handler=cmd_staff_add)
    off = staff.add_parser("deactivate", help="stop an account logging in and end its open sessions")
    off.add_argument("name")
    off.set_defaults(handler=cmd_staff_deactivate)
    reset = staff.add_parser("reset-password", help="give an account a new password (asks for it) and end its sessions")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    reset.set_defaults(handler=cmd_staff_reset_password)

    known = commands.add_parser(
        "known-scams", help="the verified list of known scam recruiters (docs/known-scams.md)"
    ).add_subparsers(dest="action", required=True)
    load = known.add_parser("import", help="add the entries of a CSV file; any bad row: nothing is imported")
    load.add_argument("file")
    load.add_argument("--by", default="import", help="who imports it (recorded with each entry and in the audit)")
    load.set_defaults(handler=cmd_known_scams_import)
    dump = known.add_parser("export", help="write every entry as CSV, in the import's format")
    dump.add_argument("file", nargs="?", default="-", help="a file, or - for stdout")
    dump.set_defaults(handler=cmd_known_scams_export)
    analytics = commands.add_parser("analytics", help="campaign analytics (docs/analytics.md)").add_subparsers(
        dest="action", required=True
    )
    purge = analytics.add_parser("purge", help="delete events older than the retention (the bot service does it daily)")
    purge.add_argument(
        "--months", type=int, help="keep this many whole months (default ANALYTICS_RETENTION_MONTHS, 24)"
    )
    purge.set_defaults(handler=cmd_analytics_purge)
    report = commands.add_parser("report", help="the monthly campaign report as PDF (docs/analytics.md)")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--out", required=True, help="the PDF file to write")
    report.add_argument("--channel", help="one channel only (telegram, zalo, messenger, rest)")
    report.set_defaults(handler=cmd_report)
    db = commands.add_parser("db", help="the application database").add_subparsers(dest="action", required=True)
    db_upgrade = db.add_parser("upgrade", help="apply the migrations it lacks (run at deploy, before starting)")
    db_upgrade.set_defaults(handler=cmd_db_upgrade)

    from bot.telegram_setup import add_arguments as add_telegram_commands

    add_telegram_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
