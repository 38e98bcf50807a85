namespace CxrPacsAgent.Retrieval.Tests.TestSupport;

/// <summary>
/// Embedding-like test data: points scattered around a few hundred cluster centres on the sphere, a tenth of them
/// near-duplicates of another point (the near-ties a library of repeat films has). Seeded: the same data every run.
/// </summary>
internal static class ClusteredVectors
{
    public static float[] Generate(int count, int dimensions, int seed, int clusters = 200, double spread = 0.35, double duplicateShare = 0.1)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimensions];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)Gaussian(random);
        }
        var rows = new float[count * dimensions];
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * dimensions, dimensions);
            if (i > 0 && random.NextDouble() < duplicateShare)
            {
                // A near-tie: another point moved by a hair.
                rows.AsSpan(random.Next(i) * dimensions, dimensions).CopyTo(row);
                for (var d = 0; d < dimensions; d++)
                {
                    row[d] += (float)(Gaussian(random) * 1e-3);
                }
                continue;
            }
            var centre = centres.AsSpan(random.Next(clusters) * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++)
            {
                row[d] = centre[d] + (float)(Gaussian(random) * spread * 3);
            }
        }
        return rows;
    }

    public static float[] Row(float[] rows, int dimensions, int i) => rows.AsSpan(i * dimensions, dimensions).ToArray();

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
