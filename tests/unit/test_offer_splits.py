"""The split rule (bot/offers/splits.py): by source, fixed, duplicates never measured twice."""

from bot.offers.splits import assign, source_of, split_of_source


def row(text, url, label="lure"):
    return {"id": text[:10], "label": label, "text": text, "source_url": url}


def test_a_source_is_a_registered_domain_or_a_page_on_a_platform():
    assert source_of("https://www.vnexpress.net/a/b.html") == "vnexpress.net"
    assert source_of("https://congan.binhthuan.gov.vn/x") == "binhthuan.gov.vn"
    assert source_of("https://m.facebook.com/groups/123456/posts/9") == "facebook.com/groups/123456"
    assert source_of("https://www.facebook.com/congan.hanoi/posts/1") == "facebook.com/congan.hanoi"
    assert source_of("https://lifestyle.znews.vn/x") == source_of("https://zingnews.vn/y") == "znews.vn"
    assert source_of("https://amp.cand.com.vn/x") == source_of("https://antg.cand.com.vn/y") == "cand.com.vn"


def test_in_sample_sources_are_train_and_others_go_by_a_fixed_hash():
    assert split_of_source("vnexpress.net", {"vnexpress.net"}) == "train"
    first = {s: split_of_source(s, set()) for s in (f"site{i}.vn" for i in range(300))}
    assert first == {s: split_of_source(s, set()) for s in first}
    shares = {split: list(first.values()).count(split) / 300 for split in ("train", "dev", "test")}
    assert 0.5 < shares["train"] < 0.7 and 0.12 < shares["dev"] < 0.28 and 0.12 < shares["test"] < 0.28


def test_a_text_already_kept_is_not_kept_again_in_a_later_split():
    ad = "Tuyển nhân viên kho, lương 9 triệu, làm việc tại khu công nghiệp Tân Bình, liên hệ văn phòng công ty"
    in_sample = [row(ad, "https://vnexpress.net/1")]
    dev_site = next(f"site{i}.vn" for i in range(100) if split_of_source(f"site{i}.vn", set()) == "dev")
    quoted = row("Tin đăng: " + ad.upper(), f"https://{dev_site}/2")
    other = row("Cần người phụ quán phở buổi sáng, 25 nghìn một giờ, gần chợ Bến Thành", f"https://{dev_site}/3")
    splits = assign(in_sample, [quoted, other])
    assert splits["dev"] == [other]
