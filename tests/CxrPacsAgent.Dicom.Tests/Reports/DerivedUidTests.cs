using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>Name-based UIDs: stable, valid, distinct per name, and the RFC 4122 version 5 UUID underneath.</summary>
public sealed class DerivedUidTests
{
    private static readonly Guid Namespace = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8"); // RFC 4122 Appendix C, DNS

    [Fact]
    public void Same_name_same_uid_and_every_part_matters()
    {
        var uid = DerivedUid.FromName(Namespace, "1.2.3", "model", "1.0", "sr");
        Assert.Equal(uid, DerivedUid.FromName(Namespace, "1.2.3", "model", "1.0", "sr"));
        Assert.True(DicomUid.IsValid(uid) && uid.StartsWith("2.25.", StringComparison.Ordinal) && uid.Length <= 44, uid);
        string[] others =
        [
            DerivedUid.FromName(Namespace, "1.2.3", "model", "1.0", "sc"),
            DerivedUid.FromName(Namespace, "1.2.3", "model", "1.1", "sr"),
            DerivedUid.FromName(Namespace, "1.2.4", "model", "1.0", "sr"),
            DerivedUid.FromName(Namespace, "1.2.3", "model1.0", "", "sr"), // joining must not merge parts
            DerivedUid.FromName(Guid.NewGuid(), "1.2.3", "model", "1.0", "sr"),
        ];
        Assert.DoesNotContain(uid, others);
        Assert.Equal(others.Length, others.Distinct().Count());
    }

    [Fact]
    public void Is_the_version_5_uuid_python_computes()
    {
        // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") is 886313e1-3b8a-5372-9b90-0c9aee199e5d.
        var expected = "2.25." + System.Numerics.BigInteger.Parse("0886313e13b8a53729b900c9aee199e5d", System.Globalization.NumberStyles.HexNumber);
        Assert.Equal(expected, DerivedUid.FromName(Namespace, "python.org"));
    }

    [Fact]
    public void Needs_a_name() => Assert.Throws<ArgumentException>(() => DerivedUid.FromName(Namespace));
}
