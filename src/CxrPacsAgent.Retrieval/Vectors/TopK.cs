namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>
/// The k best (similarity, key) pairs seen so far: a min-heap whose root is the worst kept. Order is total — higher
/// similarity first, then lower key — so exact search gives the same answer whatever the order of the rows.
/// </summary>
internal sealed class TopK(int k)
{
    private readonly Neighbor[] heap = new Neighbor[k];

    public int Count { get; private set; }

    /// <summary>Whether a candidate would enter the list (cheap test before a filter is asked).</summary>
    public bool Admits(float similarity, ulong key) => Count < heap.Length || Better(new Neighbor(key, similarity), heap[0]);

    public void Push(float similarity, ulong key)
    {
        var item = new Neighbor(key, similarity);
        if (Count < heap.Length)
        {
            heap[Count] = item;
            SiftUp(Count++);
        }
        else if (Better(item, heap[0]))
        {
            heap[0] = item;
            SiftDown(0);
        }
    }

    /// <summary>The kept pairs, best first.</summary>
    public Neighbor[] ToSortedArray()
    {
        var result = heap.AsSpan(0, Count).ToArray();
        Array.Sort(result, (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return result;
    }

    private static bool Better(Neighbor a, Neighbor b) => a.Similarity > b.Similarity || (a.Similarity == b.Similarity && a.Key < b.Key);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(heap[parent], heap[i]))
            {
                break;
            }
            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var worst = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < Count && Better(heap[worst], heap[left]))
            {
                worst = left;
            }
            if (right < Count && Better(heap[worst], heap[right]))
            {
                worst = right;
            }
            if (worst == i)
            {
                return;
            }
            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }
}
