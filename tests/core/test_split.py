

def test_the_split_summary_of_no_points_and_of_one_point():
    from lrviz.core.split import split_summary

    assert split_summary([], []) == "no points yet"
    assert split_summary([1], [False]) == "the one point trains (no test set)"
    assert split_summary([0, 1], [False, False]) == "all 2 points train (no test set)"
