# Words shared by every program: the grader, the demos and the book.
lang-name = English
yes = yes
no = no
passed = passed
failed = failed
# A count of runs, with its plural.
runs = { $count ->
    [one] { $count } run
   *[other] { $count } runs
}
submissions = { $count ->
    [one] { $count } submission
   *[other] { $count } submissions
}
