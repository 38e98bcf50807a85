using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>
/// Approximate search on a USearch HNSW graph (inner product on unit vectors, float32). Every call into USearch holds
/// one lock: through its C API, 2.26 gives wrong answers to concurrent searches and damages the graph under concurrent
/// adds (measured: HnswVectorIndexTests, docs/retrieval.md), so thread safety comes from here, one call at a time.
/// </summary>
public sealed unsafe class HnswVectorIndex : IVectorIndex
{
    private readonly Lock gate = new();
    private readonly HnswOptions options;
    private nint handle;
    // Nodes ever added: USearch keeps a removed node's slot, so capacity must cover every add, not only the live ones.
    private long nodes;
    private long capacity;
    private int expansionSearch;

    public HnswVectorIndex(int dimensions, HnswOptions? options = null, long initialCapacity = 1024)
        : this(Create(dimensions, options ?? new HnswOptions()), options ?? new HnswOptions(), dimensions)
    {
        lock (gate)
        {
            Grow(Math.Max(initialCapacity, 64));
        }
    }

    private HnswVectorIndex(nint handle, HnswOptions options, int dimensions)
    {
        this.handle = handle;
        this.options = options;
        Dimensions = dimensions;
        expansionSearch = options.ExpansionSearch;
    }

    public int Dimensions { get; }

    public HnswOptions Options => options;

    public long Count
    {
        get
        {
            lock (gate)
            {
                nint error = 0;
                var size = USearchNative.Size(Handle, &error);
                USearchNative.Check(error, "size");
                return (long)size;
            }
        }
    }

    public long MemoryBytes
    {
        get
        {
            lock (gate)
            {
                nint error = 0;
                var bytes = USearchNative.MemoryUsage(Handle, &error);
                USearchNative.Check(error, "memory_usage");
                return (long)bytes;
            }
        }
    }

    /// <summary>The SIMD target USearch picked for the distance (e.g. "skylake", "haswell", "serial").</summary>
    public string HardwareAcceleration
    {
        get
        {
            lock (gate)
            {
                nint error = 0;
                var name = USearchNative.HardwareAcceleration(Handle, &error);
                USearchNative.Check(error, "hardware_acceleration");
                return Marshal.PtrToStringUTF8(name) ?? "";
            }
        }
    }

    /// <summary>Candidates kept while searching; a larger value trades speed for recall.</summary>
    public int ExpansionSearch
    {
        get => expansionSearch;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (gate)
            {
                expansionSearch = value;
                Configure();
            }
        }
    }

    /// <summary>Loads a graph saved by <see cref="Save"/>; fails when it is unreadable or of other dimensions.</summary>
    public static HnswVectorIndex Load(string path, int dimensions, HnswOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new HnswOptions();
        options.Validate();
        var empty = new USearchNative.InitOptions();
        nint error = 0;
        var handle = USearchNative.Init(&empty, &error);
        USearchNative.Check(error, "init");
        var index = new HnswVectorIndex(handle, options, dimensions);
        try
        {
            lock (index.gate)
            {
                USearchNative.Load(handle, path, &error);
                USearchNative.Check(error, $"load of {Path.GetFileName(path)}");
                var stored = (int)USearchNative.Dimensions(handle, &error);
                if (stored != dimensions)
                {
                    throw new RetrievalException(RetrievalError.DimensionMismatch, $"{path} holds {stored}-dimensional vectors, not {dimensions}");
                }
                index.nodes = (long)USearchNative.Capacity(handle, &error);
                index.capacity = index.nodes;
                index.Configure();
            }
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Writes the graph to <paramref name="path"/> in USearch's own format.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (gate)
        {
            nint error = 0;
            USearchNative.Save(Handle, path, &error);
            USearchNative.Check(error, $"save to {Path.GetFileName(path)}");
        }
    }

    public void Add(ulong key, ReadOnlySpan<float> vector)
    {
        CheckLength(vector.Length);
        Span<float> unit = vector.Length <= 1024 ? stackalloc float[vector.Length] : new float[vector.Length];
        UnitVector.Normalize(vector, unit);
        lock (gate)
        {
            Reserve(1);
            AddNormalized(key, unit);
        }
    }

    /// <summary>Adds a vector already of unit length (from an exact index's buffer) as it is, bit for bit.</summary>
    internal void AddUnit(ulong key, ReadOnlySpan<float> unit)
    {
        CheckLength(unit.Length);
        lock (gate)
        {
            Reserve(1);
            AddNormalized(key, unit);
        }
    }

    public void AddRange(ReadOnlyMemory<ulong> keys, ReadOnlyMemory<float> rows)
    {
        if ((long)keys.Length * Dimensions != rows.Length)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch,
                $"{keys.Length} keys need {(long)keys.Length * Dimensions} floats of {Dimensions} dimensions, got {rows.Length}");
        }
        Span<float> unit = Dimensions <= 1024 ? stackalloc float[Dimensions] : new float[Dimensions];
        lock (gate)
        {
            Reserve(keys.Length);
            for (var i = 0; i < keys.Length; i++)
            {
                UnitVector.Normalize(rows.Span.Slice(i * Dimensions, Dimensions), unit);
                AddNormalized(keys.Span[i], unit);
            }
        }
    }

    public bool Remove(ulong key)
    {
        lock (gate)
        {
            nint error = 0;
            var removed = USearchNative.Remove(Handle, key, &error);
            USearchNative.Check(error, "remove");
            return removed > 0;
        }
    }

    public bool Contains(ulong key)
    {
        lock (gate)
        {
            nint error = 0;
            var found = USearchNative.Contains(Handle, key, &error);
            USearchNative.Check(error, "contains");
            return found;
        }
    }

    public bool TryGet(ulong key, Span<float> destination)
    {
        CheckLength(destination.Length);
        lock (gate)
        {
            nint error = 0;
            nuint found;
            fixed (float* p = destination)
            {
                found = USearchNative.Get(Handle, key, 1, p, USearchNative.ScalarFloat32, &error);
            }
            USearchNative.Check(error, "get");
            return found > 0;
        }
    }

    public IReadOnlyList<Neighbor> Search(ReadOnlySpan<float> query, int k, Func<ulong, bool>? accept = null)
    {
        CheckLength(query.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        Span<float> unit = query.Length <= 1024 ? stackalloc float[query.Length] : new float[query.Length];
        UnitVector.Normalize(query, unit);
        Span<ulong> keys = k <= 256 ? stackalloc ulong[k] : new ulong[k];
        Span<float> distances = k <= 256 ? stackalloc float[k] : new float[k];
        var filter = accept is null ? null : new FilterState(accept);
        var state = filter is null ? default : GCHandle.Alloc(filter);
        nuint found;
        try
        {
            lock (gate)
            {
                nint error = 0;
                fixed (float* q = unit)
                fixed (ulong* kp = keys)
                fixed (float* dp = distances)
                {
                    found = filter is null
                        ? USearchNative.Search(Handle, q, USearchNative.ScalarFloat32, (nuint)k, kp, dp, &error)
                        : USearchNative.FilteredSearch(Handle, q, USearchNative.ScalarFloat32, (nuint)k, &Accept, GCHandle.ToIntPtr(state), kp, dp, &error);
                }
                USearchNative.Check(error, "search");
            }
        }
        finally
        {
            if (filter is not null)
            {
                state.Free();
            }
        }
        if (filter?.Error is { } failure)
        {
            throw new InvalidOperationException("the search filter failed", failure);
        }
        var result = new Neighbor[(int)found];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new Neighbor(keys[i], 1f - distances[i]);
        }
        // USearch orders by distance only; equal similarities go by key, as in exact search.
        Array.Sort(result, static (a, b) => a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : a.Key.CompareTo(b.Key));
        return result;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (handle != 0)
            {
                nint error = 0;
                USearchNative.Free(handle, &error);
                handle = 0;
            }
        }
    }

    private nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(HnswVectorIndex));

    private static nint Create(int dimensions, HnswOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        options.Validate();
        var init = new USearchNative.InitOptions
        {
            MetricKind = USearchNative.MetricInnerProduct,
            Quantization = USearchNative.ScalarFloat32,
            Dimensions = (nuint)dimensions,
            Connectivity = (nuint)options.Connectivity,
            ExpansionAdd = (nuint)options.ExpansionAdd,
            ExpansionSearch = (nuint)options.ExpansionSearch,
        };
        nint error = 0;
        var handle = USearchNative.Init(&init, &error);
        USearchNative.Check(error, "init");
        return handle;
    }

    /// <summary>Makes room for <paramref name="more"/> nodes, doubling the capacity when needed. Under the gate.</summary>
    private void Reserve(long more)
    {
        nodes += more;
        if (nodes > capacity)
        {
            Grow(Math.Max(nodes, capacity * 2));
        }
    }

    private void Grow(long target)
    {
        nint error = 0;
        USearchNative.Reserve(Handle, (nuint)target, &error);
        USearchNative.Check(error, "reserve");
        capacity = target;
        Configure();
    }

    /// <summary>Expansion factors; USearch's reserve and load keep the graph's own, so they are set again after each.</summary>
    private void Configure()
    {
        nint error = 0;
        USearchNative.ChangeExpansionAdd(Handle, (nuint)options.ExpansionAdd, &error);
        USearchNative.Check(error, "change_expansion_add");
        USearchNative.ChangeExpansionSearch(Handle, (nuint)expansionSearch, &error);
        USearchNative.Check(error, "change_expansion_search");
    }

    private void AddNormalized(ulong key, ReadOnlySpan<float> unit)
    {
        nint error = 0;
        fixed (float* p = unit)
        {
            USearchNative.Add(Handle, key, p, USearchNative.ScalarFloat32, &error);
        }
        USearchNative.Check(error, "add");
    }

    private void CheckLength(int length)
    {
        if (length != Dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch, $"the vector has {length} dimensions, the index {Dimensions}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Accept(ulong key, nint state)
    {
        var filter = (FilterState)GCHandle.FromIntPtr(state).Target!;
        try
        {
            return filter.Accept(key) ? 1 : 0;
        }
#pragma warning disable CA1031 // An exception must not cross into native code: kept and rethrown after the search.
        catch (Exception e)
#pragma warning restore CA1031
        {
            filter.Error ??= e;
            return 0;
        }
    }

    private sealed class FilterState(Func<ulong, bool> accept)
    {
        public Func<ulong, bool> Accept { get; } = accept;

        public Exception? Error { get; set; }
    }
}
