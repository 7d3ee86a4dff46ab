"""Parliamentary and official references as footnotes print them."""

import re

REFERENCE = re.compile(
    r"(?:Kamerstukken (?:I|II),? \d{4}/\d{2}, \d{2} \d{3},? nr\. ?\d+"
    r"|Aanhangsel Handelingen (?:I|II) \d{4}/\d{2}, nr\. \d+"
    r"|Staatscourant,? \d{1,2} \w+ \d{4}, nr\. \d+)"
)
