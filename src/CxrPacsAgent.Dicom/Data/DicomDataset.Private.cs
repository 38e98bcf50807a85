namespace CxrPacsAgent.Dicom.Data;

public sealed partial class DicomDataset
{
    /// <summary>
    /// The tag of private element <paramref name="elementOffset"/> (00–FF) in the block that <paramref name="creator"/>
    /// owns in <paramref name="group"/>; null if the creator has no block here (PS3.5 7.8.1).
    /// </summary>
    public DicomTag? FindPrivateTag(ushort group, string creator, byte elementOffset)
    {
        ArgumentNullException.ThrowIfNull(creator);
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            if (CreatorAt(new DicomTag(group, block)) == creator)
            {
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
            }
        }
        return null;
    }

    /// <summary>As <see cref="FindPrivateTag"/>, but reserves the first free block for the creator when it has none.</summary>
    public DicomTag ReservePrivateTag(ushort group, string creator, byte elementOffset)
    {
        if (!new DicomTag(group, 0x0010).IsPrivate)
        {
            throw new ArgumentOutOfRangeException(nameof(group), $"group {group:X4} is not a private group.");
        }
        if (FindPrivateTag(group, creator, elementOffset) is { } existing)
        {
            return existing;
        }
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var creatorTag = new DicomTag(group, block);
            if (!Contains(creatorTag))
            {
                AddOrUpdate(creatorTag, DicomVR.LO, creator);
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
            }
        }
        throw new InvalidOperationException($"group {group:X4} has no free private creator block.");
    }

    /// <summary>The private creator owning a private data element of this data set, if it is recorded.</summary>
    public string? GetPrivateCreator(DicomTag tag) =>
        tag.IsPrivate && !tag.IsPrivateCreator && tag.Element >= 0x1000 ? CreatorAt(tag.PrivateCreatorTag) : null;

    // A creator slot read from a file may hold any VR; one that is not text names no creator (rather than throwing
    // from the reader, which asks while it decodes the block's UN elements).
    private string? CreatorAt(DicomTag creatorTag) =>
        TryGetElement(creatorTag, out var element) && element.VR.IsText ? GetText(creatorTag) : null;
}
