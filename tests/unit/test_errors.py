"""Failure reasons: Chinese first for the people who read them, the technical detail after."""

from zhibiao.plumbing.errors import CorruptDocument, DocumentTooLarge, PermanentError
from zhibiao.readers import read_document


def test_a_reason_says_in_chinese_what_to_do_and_keeps_the_detail():
    exc = CorruptDocument("the PDF is damaged and cannot be opened (Failed to load document)")
    assert (
        exc.reason()
        == "文件已损坏，无法打开：请从原始来源重新导出后上传（the PDF is damaged and cannot be opened (Failed to load document)）"
    )
    assert DocumentTooLarge("x").reason().startswith("文件超出处理上限")
    assert PermanentError("x", zh="文件已不在存储桶中：请重新放入").reason().startswith("文件已不在存储桶中")


def test_readers_name_the_problem_in_chinese():
    for data, words in [
        (b"", "文件为空"),
        (b"\x8f\x00\x01garbage", "不支持的文件格式"),
        (b"%PDF-1.7\nbroken", "已损坏"),
    ]:
        try:
            read_document(data, "x")
        except PermanentError as exc:
            assert words in exc.reason(), exc.reason()
        else:
            raise AssertionError(f"{data!r} was read")
