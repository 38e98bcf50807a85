using System.Numerics.Tensors;

namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>
/// Exact search: one SIMD dot product (System.Numerics.Tensors) per stored vector, rows kept contiguous. Recall is 1 by
/// construction, and at tens of thousands of vectors it is as fast as a graph; it is the ground truth the HNSW index is
/// measured against.
/// </summary>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly ReaderWriterLockSlim gate = new();
    private readonly Dictionary<ulong, int> rowOfKey = [];
    private float[] rows;
    private ulong[] keys;
    private int count;

    public ExactVectorIndex(int dimensions, int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        initialCapacity = Math.Max(initialCapacity, 16);
        rows = new float[(long)initialCapacity * dimensions];
        keys = new ulong[initialCapacity];
    }

    public int Dimensions { get; }

    public long Count
    {
        get
        {
            gate.EnterReadLock();
            try
            {
                return count;
            }
            finally
            {
                gate.ExitReadLock();
            }
        }
    }

    public long MemoryBytes => (rows.LongLength * sizeof(float)) + (keys.LongLength * sizeof(ulong)) + (rowOfKey.Count * 24L);

    public void Add(ulong key, ReadOnlySpan<float> vector)
    {
        CheckLength(vector.Length);
        Span<float> unit = vector.Length <= 1024 ? stackalloc float[vector.Length] : new float[vector.Length];
        UnitVector.Normalize(vector, unit);
        gate.EnterWriteLock();
        try
        {
            Append(key, unit);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public void AddRange(ReadOnlyMemory<ulong> keys, ReadOnlyMemory<float> rows)
    {
        CheckRows(keys.Length, rows.Length);
        var unit = new float[rows.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            UnitVector.Normalize(rows.Span.Slice(i * Dimensions, Dimensions), unit.AsSpan(i * Dimensions, Dimensions));
        }
        gate.EnterWriteLock();
        try
        {
            for (var i = 0; i < keys.Length; i++)
            {
                Append(keys.Span[i], unit.AsSpan(i * Dimensions, Dimensions));
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public bool Remove(ulong key)
    {
        gate.EnterWriteLock();
        try
        {
            return RemoveLocked(key);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Removes the keys held among <paramref name="removed"/> under one lock; how many were held.</summary>
    public int RemoveRange(ReadOnlySpan<ulong> removed)
    {
        var found = 0;
        gate.EnterWriteLock();
        try
        {
            foreach (var key in removed)
            {
                found += RemoveLocked(key) ? 1 : 0;
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
        return found;
    }

    /// <summary>A copy holding the same keys and vectors, bit for bit, with room for <paramref name="capacity"/>.</summary>
    public ExactVectorIndex Copy(int capacity)
    {
        gate.EnterReadLock();
        try
        {
            var copy = new ExactVectorIndex(Dimensions, Math.Max(capacity, count));
            rows.AsSpan(0, count * Dimensions).CopyTo(copy.rows);
            keys.AsSpan(0, count).CopyTo(copy.keys);
            foreach (var (key, row) in rowOfKey)
            {
                copy.rowOfKey.Add(key, row);
            }
            copy.count = count;
            return copy;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The keys held now, in row order.</summary>
    public ulong[] Keys()
    {
        gate.EnterReadLock();
        try
        {
            return keys.AsSpan(0, count).ToArray();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Gives back the memory of rows no longer held (after a large buffer has emptied), keeping room to double.</summary>
    public void TrimExcess()
    {
        gate.EnterWriteLock();
        try
        {
            var capacity = Math.Max(count * 2, 1024);
            if (capacity < keys.Length / 2)
            {
                Array.Resize(ref keys, capacity);
                Array.Resize(ref rows, capacity * Dimensions);
                rowOfKey.TrimExcess();
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public bool Contains(ulong key)
    {
        gate.EnterReadLock();
        try
        {
            return rowOfKey.ContainsKey(key);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public bool TryGet(ulong key, Span<float> destination)
    {
        CheckLength(destination.Length);
        gate.EnterReadLock();
        try
        {
            if (!rowOfKey.TryGetValue(key, out var row))
            {
                return false;
            }
            RowSpan(row).CopyTo(destination);
            return true;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public IReadOnlyList<Neighbor> Search(ReadOnlySpan<float> query, int k, Func<ulong, bool>? accept = null)
    {
        CheckLength(query.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        Span<float> unit = query.Length <= 1024 ? stackalloc float[query.Length] : new float[query.Length];
        UnitVector.Normalize(query, unit);
        var top = new TopK(k);
        gate.EnterReadLock();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var similarity = TensorPrimitives.Dot(RowSpan(i), unit);
                // The filter is asked only about candidates good enough to enter the list.
                if (top.Admits(similarity, keys[i]) && (accept is null || accept(keys[i])))
                {
                    top.Push(similarity, keys[i]);
                }
            }
        }
        finally
        {
            gate.ExitReadLock();
        }
        return top.ToSortedArray();
    }

    public void Dispose() => gate.Dispose();

    private bool RemoveLocked(ulong key)
    {
        if (!rowOfKey.Remove(key, out var row))
        {
            return false;
        }
        // The last row moves into the hole: rows stay contiguous, and the total order of TopK keeps results stable.
        var last = count - 1;
        if (row != last)
        {
            RowSpan(last).CopyTo(RowSpan(row));
            keys[row] = keys[last];
            rowOfKey[keys[row]] = row;
        }
        count--;
        return true;
    }

    private void Append(ulong key, ReadOnlySpan<float> unit)
    {
        if (!rowOfKey.TryAdd(key, count))
        {
            throw new ArgumentException($"key {key} is already in the index", nameof(key));
        }
        if (count == keys.Length)
        {
            var capacity = keys.Length * 2;
            Array.Resize(ref keys, capacity);
            Array.Resize(ref rows, capacity * Dimensions);
        }
        unit.CopyTo(RowSpan(count));
        keys[count] = key;
        count++;
    }

    private Span<float> RowSpan(int row) => rows.AsSpan(row * Dimensions, Dimensions);

    private void CheckLength(int length)
    {
        if (length != Dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch, $"the vector has {length} dimensions, the index {Dimensions}");
        }
    }

    internal void CheckRows(int keyCount, int floatCount)
    {
        if ((long)keyCount * Dimensions != floatCount)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch,
                $"{keyCount} keys need {(long)keyCount * Dimensions} floats of {Dimensions} dimensions, got {floatCount}");
        }
    }
}
