using CxrPacsAgent.Imaging;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Retrieval;

namespace CxrPacsAgent.Worker.Retrieval;

/// <summary>
/// A model package applied to radiographs for the similar-study library: the one preprocessing and model give the
/// embedding, score and call; the entry also keeps the re-embedding copy and the thumbnail (docs/retrieval.md).
/// Thread-safe, like the model.
/// </summary>
internal sealed class LibraryEmbedder
{
    /// <summary>Longest side of the stored copy a future model is re-run on (docs/retrieval.md says why 512).</summary>
    public const int ReembeddingLongSide = 512;

    /// <summary>Longest side of the thumbnail shown with a similar case.</summary>
    public const int ThumbnailLongSide = 128;

    private readonly CxrModel model;
    private readonly ModelInputBuilder builder;

    public LibraryEmbedder(CxrModel model)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
        Identity = new ModelIdentity(model.Manifest.Name, model.Manifest.Version);
    }

    public ModelIdentity Identity { get; }

    public int Dimensions => model.EmbeddingSize;

    public Prediction Predict(GrayImage image) => model.Predict(builder.Build(image));

    /// <summary>The library entry of <paramref name="image"/>: prediction, identity, optional reference label, stored images.</summary>
    public LibraryEntry Entry(GrayImage image, ImageIdentity identity, ReferenceLabel? reference)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(identity);
        var (copy, thumbnail) = StoredImages(image);
        return Entry(Predict(image), identity, reference, copy, thumbnail);
    }

    /// <summary>
    /// The re-embedding copy and the thumbnail of a film, the thumbnail shrunk from the copy: one pass over the
    /// full-size film instead of two (a 5-megapixel DX costs tens of milliseconds a pass).
    /// </summary>
    public static (EncodedImage Copy, EncodedImage Thumbnail) StoredImages(GrayImage image)
    {
        var copy = GreyPng.Shrink(image, ReembeddingLongSide);
        return (GreyPng.Encode(copy, ReembeddingLongSide), GreyPng.Encode(copy, ThumbnailLongSide));
    }

    /// <summary>An entry from a prediction already made and the images already encoded (re-embedding keeps the stored ones).</summary>
    public LibraryEntry Entry(Prediction prediction, ImageIdentity identity, ReferenceLabel? reference, EncodedImage? reembedding, EncodedImage? thumbnail)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        // Out of distribution the model makes no call, and its entry carries no label to vote with.
        return Entry(Identity, prediction.Score, prediction.Call is null ? null : prediction.Label, prediction.Embedding, identity,
            reference, reembedding, thumbnail);
    }

    /// <summary>An entry from a score, call and embedding recorded elsewhere (the service's state store).</summary>
    public static LibraryEntry Entry(ModelIdentity model, float score, string? label, float[] embedding, ImageIdentity identity,
        ReferenceLabel? reference, EncodedImage? reembedding, EncodedImage? thumbnail)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new LibraryEntry
        {
            Model = model,
            SopInstanceUid = identity.SopInstanceUid,
            SopClassUid = identity.SopClassUid,
            SeriesInstanceUid = identity.SeriesInstanceUid,
            StudyInstanceUid = identity.StudyInstanceUid,
            AccessionNumber = identity.AccessionNumber,
            PatientKey = identity.PatientKey,
            AcquiredAt = identity.AcquiredAt,
            ViewPosition = identity.ViewPosition,
            Score = score,
            ModelLabel = label,
            Reference = reference,
            Embedding = embedding,
            ReembeddingImage = reembedding,
            Thumbnail = thumbnail,
        };
    }
}
