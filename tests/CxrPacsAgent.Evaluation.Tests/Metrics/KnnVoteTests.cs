using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

public sealed class KnnVoteTests
{
    [Fact]
    public void Two_separated_clusters_vote_perfectly()
    {
        float[][] e = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5f, 0.5f], [10, 10], [10, 11], [11, 10], [11, 11], [10.5f, 10.5f]];
        bool[] t = [false, false, false, false, false, true, true, true, true, true];
        Assert.Equal(1.0, KnnVote.Accuracy(e, t, 4));
    }

    [Fact]
    public void Hand_computed_with_a_tie_broken_by_the_nearest()
    {
        // Points on a line at 0,1,2,3,4,5 with labels N,N,P,P,N,P. Leave-one-out k=4 (index breaks equal distances):
        // 0: 1,2,3,4 → N,P,P,N tie → nearest (1) N → N ✓.   1: 0,2,3,4 → N,P,P,N tie → nearest 0 (d1, lower index) N ✓.
        // 2: 1,3,0,4 → N,P,N,N → N ✗.   3: 2,4,1,5 → P,N,N,P tie → nearest 2 P ✓.
        // 4: 3,5,2,1 → P,P,P,N → P ✗.   5: 4,3,2,1 → N,P,P,N tie → nearest 4 N ✗.  → 3/6.
        float[][] e = [[0], [1], [2], [3], [4], [5]];
        bool[] t = [false, false, true, true, false, true];
        Assert.Equal(0.5, KnnVote.Accuracy(e, t, 4), 12);
    }
}
