#!/usr/bin/env python3
"""Writes data/feelings_corpus.txt, the small bilingual corpus embedlab's word2vec chapters train on.

Regenerate (the output is committed, and this script is deterministic, so the file only
changes when this script does):

    python3 data/make_feelings_corpus.py > data/feelings_corpus.txt

Written for embedlab (MIT licence, like the rest of the project); every template and word
list below is original.

How the corpus teaches similarity. Skip-gram word2vec gives two words close vectors when
they appear among the same neighbouring words. So:
  * every happy word (happy, joyful, glad, cheerful; 快乐, 开心, 高兴) is dropped
    into the SAME happy templates, which are full of happy neighbours (smile, laugh, sunshine,
    party; 笑, 阳光, 礼物, 唱歌), so the happy words become interchangeable;
  * every sad word (sad, unhappy, sorrowful, gloomy; 悲伤, 难过, 忧伤) goes into
    other templates, full of sad neighbours (tears, rain, lonely, goodbye; 哭, 眼泪, 下雨, 孤单),
    and even the intensifiers differ (happy: so / really / 非常 / 真, sad: deeply / terribly /
    十分 / 有些), so happy and sad words share few neighbours;
  * neutral lines about food, weather, work and family give the everyday words contexts of
    their own.
Chinese is tokenised one character per token, so 快乐 reaches word2vec as 快 + 乐. The
characters of the feeling words (快 乐 开 心 高 兴 / 悲 伤 难 过 忧) therefore appear ONLY inside
those words: the fillers avoid 音乐, 开始, 离开, 心情, 伤心, 高山, 困难, 过去, 不过 and the like,
and the script checks this before printing.
"""

import random
import re
import sys

SEED = 20240531

HAPPY_EN = ["happy", "joyful", "glad", "cheerful"]
SAD_EN = ["sad", "unhappy", "sorrowful", "gloomy"]
HAPPY_ZH = ["快乐", "开心", "高兴"]
SAD_ZH = ["悲伤", "难过", "忧伤"]

NAMES_EN = ["Anna", "Ben", "Lily", "Tom", "Mei", "David", "Sara", "Leo", "Grandpa", "my sister"]
FAMILY_EN = ["mother", "father", "brother", "sister", "grandmother", "uncle", "aunt", "cousin"]
FOOD_EN = ["noodles", "dumplings", "rice", "soup", "fish", "vegetables", "eggs"]
PLACE_EN = ["park", "garden", "kitchen", "village", "school", "office", "street", "beach"]
TIME_EN = ["this morning", "on sunday", "after work", "in the evening", "at noon", "today"]

HAPPY_FRAMES_EN = [
    "{name} was so {h}, smiling and laughing all {time_word}",
    "the children were really {h}, they danced and sang in the {place}",
    "we felt {h} and bright when the warm sunshine came out {time}",
    "my {family} gave me a gift and i was so {h} i laughed",
    "{name} felt really {h} at the birthday party with cake and music",
    "what a {h} holiday, we played in the sunshine and smiled",
    "a {h} smile lit up the face of my {family} {time}",
    "after the good news {name} was so {h} and hugged everyone",
    "everyone was {h} to share {food} and laugh together at the party",
    "{name} sang a {h} song and danced in the warm sunshine",
    "our team won and the whole {place} was {h}, cheering and singing",
    "i am so {h} when friends visit and we laugh and celebrate",
]
SAD_FRAMES_EN = [
    "{name} was deeply {s} and cried alone in the cold rain",
    "the old man felt terribly {s} after saying goodbye at the station",
    "tears fell and {name} felt {s} and lonely {time}",
    "my {family} was ill and i was deeply {s} all night",
    "{name} sat in the dark, {s} and silent, missing home",
    "the {s} goodbye left {name} in tears under the grey sky",
    "the rain kept falling and everyone felt {s} and tired",
    "after the bad news {name} was terribly {s} and wept",
    "{name} lost the old dog and felt {s} and empty for weeks",
    "grey clouds and cold wind made the {place} look {s} and lonely",
    "she wrote {s} letters with tears, missing her {family}",
    "i feel deeply {s} when i am alone in the rain at night",
]
NEUTRAL_FRAMES_EN = [
    "my {family} cooks {food} for dinner",
    "we eat {food} and drink tea in the {place}",
    "the weather report says it will be windy tomorrow",
    "{name} goes to work by bus and reads the news",
    "my {family} works in an office near the {place}",
    "{name} buys {food} at the market {time}",
    "the weather is mild and the trees in the {place} are green",
    "after work {name} walks home and cooks {food}",
    "the whole family eats {food} together {time}",
    "our family visits my {family} when the weather is fine",
]

NAMES_ZH = ["小明", "小红", "小王", "妈妈", "爸爸", "奶奶", "爷爷", "姐姐", "弟弟", "老师"]
FAMILY_ZH = ["妈妈", "爸爸", "奶奶", "爷爷", "姐姐", "哥哥", "弟弟", "妹妹"]
FOOD_ZH = ["饺子", "面条", "米饭", "包子", "鱼汤", "蛋糕", "青菜"]
PLACE_ZH = ["公园", "花园", "学校", "院子", "海边", "村子", "厨房", "广场"]

HAPPY_FRAMES_ZH = [
    "{name}今天非常{h}，阳光照在脸上，笑得很甜",
    "收到礼物，{name}真{h}，笑着唱歌",
    "我们在{place}唱歌跳舞，大家都非常{h}",
    "周末和{family}一起野餐，{name}真{h}",
    "听到好消息，{name}{h}地笑了，还跳起舞",
    "晴天的早上，孩子们{h}地在{place}唱歌",
    "{family}做了{food}，全家人笑着说真{h}",
    "生日聚会上大家唱歌，{name}非常{h}",
    "阳光很暖，朋友们{h}地笑着跳舞",
    "考试得了满分，{name}{h}地笑着拥抱{family}",
    "春天的花园里，{name}真{h}，一直在笑",
    "节日那天，大家{h}地庆祝，笑声不断",
]
SAD_FRAMES_ZH = [
    "{name}今天十分{s}，外面一直下雨，一个人哭",
    "告别的时候，{name}有些{s}，流下眼泪",
    "一个人坐在黑暗的房间里，{name}十分{s}",
    "{family}生病住院，{name}有些{s}，整夜哭泣",
    "听到坏消息，{name}{s}地哭了，眼泪不停",
    "寒冷的雨夜，{name}{s}地叹气，感到孤单",
    "丢了小狗以后，{name}十分{s}，每天沉默",
    "下雨的晚上，{name}有些{s}，想念{family}",
    "朋友搬走了，{name}孤单又{s}，默默流泪",
    "阴天的{place}里，{name}{s}地坐着哭",
    "分手以后，{name}十分{s}，眼泪流个不停",
    "冷风吹着，{name}有些{s}，一个人叹气",
]
NEUTRAL_FRAMES_ZH = [
    "{family}晚上做{food}，我们一起吃饭",
    "明天的天气是多云，有一点风",
    "{name}每天坐公交车去上班",
    "{family}在{place}旁边的商店工作",
    "我们早上吃{food}，喝一杯绿茶",
    "{name}在市场买了一些{food}",
    "今天的天气很晴朗，气温二十度",
    "下班以后，{name}走路回家做饭",
]

# Characters that may appear only inside the Chinese feeling words above.
FEELING_CHARS = set("快乐开心高兴悲伤难过忧")


def fill(frame, rng, names, family, food, place, times, feeling_key, feeling):
    """Fills one template with random fillers and one feeling word."""
    values = {
        "name": rng.choice(names),
        "family": rng.choice(family),
        "food": rng.choice(food),
        "place": rng.choice(place),
        "time": rng.choice(times) if times else "",
        "time_word": rng.choice(["day", "evening", "afternoon", "morning"]),
        feeling_key: feeling,
    }
    return frame.format(**values)


def make_lines(rng, frames, words, key, count, names, family, food, place, times):
    """Makes `count` distinct sentences, cycling through the words so each is used equally."""
    lines = []
    seen = set()
    attempts = 0
    while len(lines) < count and attempts < count * 50:
        attempts += 1
        word = words[len(lines) % len(words)]
        line = fill(rng.choice(frames), rng, names, family, food, place, times, key, word)
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return lines


def finish(line):
    """Makes a template line read like a sentence: capital letter and full stop, or 。 for Chinese."""
    if line[0].isascii():
        line = re.sub(r"\bi\b", "I", line)
        return line[0].upper() + line[1:] + "."
    return line + "。"


def check_chinese_fillers():
    """Fails loudly if a filler or template uses a character of a Chinese feeling word."""
    fillers = NAMES_ZH + FAMILY_ZH + FOOD_ZH + PLACE_ZH
    templates = HAPPY_FRAMES_ZH + SAD_FRAMES_ZH + NEUTRAL_FRAMES_ZH
    for text in fillers + templates:
        stripped = text.replace("{h}", "").replace("{s}", "")
        bad = FEELING_CHARS.intersection(stripped)
        if bad:
            sys.exit(f"make_feelings_corpus: '{text}' uses feeling characters {sorted(bad)}")


def main():
    check_chinese_fillers()
    rng = random.Random(SEED)
    en = (NAMES_EN, FAMILY_EN, FOOD_EN, PLACE_EN, TIME_EN)
    zh = (NAMES_ZH, FAMILY_ZH, FOOD_ZH, PLACE_ZH, [])
    lines = []
    lines += make_lines(rng, HAPPY_FRAMES_EN, HAPPY_EN, "h", 360, *en)
    lines += make_lines(rng, SAD_FRAMES_EN, SAD_EN, "s", 360, *en)
    lines += make_lines(rng, NEUTRAL_FRAMES_EN, ["-"], "x", 80, *en)
    lines += make_lines(rng, HAPPY_FRAMES_ZH, HAPPY_ZH, "h", 300, *zh)
    lines += make_lines(rng, SAD_FRAMES_ZH, SAD_ZH, "s", 300, *zh)
    lines += make_lines(rng, NEUTRAL_FRAMES_ZH, ["-"], "x", 60, *zh)
    rng.shuffle(lines)  # mixed order, as a real corpus would be
    for line in lines:
        print(finish(line))


if __name__ == "__main__":
    main()
