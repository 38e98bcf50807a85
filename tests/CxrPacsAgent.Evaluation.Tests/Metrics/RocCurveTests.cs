using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

/// <summary>ROC AUC against cases worked by hand (pairs counted: positive above negative = 1, tie = ½).</summary>
public sealed class RocCurveTests
{
    [Fact]
    public void Perfect_separation_is_one_and_reversed_is_zero()
    {
        Assert.Equal(1.0, RocCurve.Auc([0.9, 0.8, 0.2, 0.1], [true, true, false, false]), 12);
        Assert.Equal(0.0, RocCurve.Auc([0.1, 0.2, 0.8, 0.9], [true, true, false, false]), 12);
    }

    [Fact]
    public void Hand_computed_without_ties()
    {
        // Positives 0.8, 0.4; negatives 0.6, 0.2. Pairs: (0.8>0.6) (0.8>0.2) (0.4<0.6) (0.4>0.2) → 3/4.
        Assert.Equal(0.75, RocCurve.Auc([0.8, 0.6, 0.4, 0.2], [true, false, true, false]), 12);
    }

    [Fact]
    public void Ties_between_classes_count_half()
    {
        // Positives 0.7, 0.5; negatives 0.5, 0.3. Pairs: 0.7>0.5 (1), 0.7>0.3 (1), 0.5=0.5 (½), 0.5>0.3 (1) → 3.5/4.
        Assert.Equal(0.875, RocCurve.Auc([0.7, 0.5, 0.5, 0.3], [true, true, false, false]), 12);
    }

    [Fact]
    public void All_scores_tied_is_one_half()
    {
        Assert.Equal(0.5, RocCurve.Auc([0.4, 0.4, 0.4, 0.4, 0.4], [true, false, true, false, false]), 12);
    }

    [Fact]
    public void Ties_within_a_class_do_not_matter()
    {
        // Positives 0.9, 0.9, 0.4; negatives 0.4, 0.1. Pairs: 0.9 beats both (×2 = 4), 0.4 vs 0.4 ½, 0.4>0.1 1 → 5.5/6.
        Assert.Equal(5.5 / 6, RocCurve.Auc([0.9, 0.9, 0.4, 0.4, 0.1], [true, true, true, false, false]), 12);
    }

    [Fact]
    public void One_class_only_is_undefined()
    {
        Assert.True(double.IsNaN(RocCurve.Auc([0.2, 0.8], [true, true])));
    }

    [Fact]
    public void Tied_scores_give_one_diagonal_step()
    {
        var points = RocCurve.Points([0.7, 0.5, 0.5, 0.3], [true, true, false, false]);
        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0)], points.Select(p => (p.X, p.Y)).ToArray());
    }

    [Fact]
    public void Matches_pair_counting_on_random_data()
    {
        var r = new Random(1);
        var scores = Enumerable.Range(0, 300).Select(_ => Math.Round(r.NextDouble(), 1)).ToArray(); // many ties
        var truth = scores.Select(s => r.NextDouble() < s).ToArray();
        double wins = 0;
        int pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (truth[i] && !truth[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        Assert.Equal(wins / pairs, RocCurve.Auc(scores, truth), 10);
    }
}
