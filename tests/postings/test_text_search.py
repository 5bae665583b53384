"""postings.text_search reads text and queries as PostgreSQL's english configuration does
(pure functions: no database; tests/postings/test_search_parity.py checks them against
PostgreSQL itself)."""

from __future__ import annotations

from postings.text_search import And, Not, Or, Phrase, document_terms, lexemes, parse_websearch


def test_it_stems_word_forms_to_one_lexeme():
    assert lexemes("robot robots Robotic designing") == ["robot", "robot", "robot", "design"]


def test_it_keeps_a_place_for_each_stop_word():
    assert document_terms("The state of our robots") == " _ state _ _ robot "


def test_it_reads_a_hyphenated_word_whole_and_in_parts():
    assert lexemes("micro-internship") == ["micro-internship", "micro", "internship"]


def test_it_keeps_numbers_and_paths_as_written():
    assert lexemes("WCAG 2.2, A/B tests in 3D") == ["wcag", "2.2", "a/b", "test", None, "3d"]


def test_it_reads_words_as_and_and_or_more_loosely():
    robot, lab, cat = Phrase(("robot",)), Phrase(("lab",)), Phrase(("cat",))
    assert parse_websearch("robots lab or cats") == Or(And(robot, lab), cat)


def test_it_reads_a_minus_as_not():
    assert parse_websearch("robots -cats") == And(Phrase(("robot",)), Not(Phrase(("cat",))))


def test_it_reads_a_quoted_phrase_with_a_place_for_each_stop_word():
    assert parse_websearch('"design of robots"') == Phrase(("design", None, "robot"))


def test_it_finds_nothing_to_search_in_stop_words_alone():
    assert parse_websearch("the and of") is None
