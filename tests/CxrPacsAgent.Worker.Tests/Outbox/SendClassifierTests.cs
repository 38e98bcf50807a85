using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Worker.Outbox;

namespace CxrPacsAgent.Worker.Tests.Outbox;

/// <summary>Retryable against final, as PS3.4 B.2.3 and PS3.8 9.3.4 mean them.</summary>
public sealed class SendClassifierTests
{
    [Theory]
    [InlineData(0x0000, SendVerdict.Delivered)]
    [InlineData(0xB000, SendVerdict.Delivered)]
    [InlineData(0xB007, SendVerdict.Delivered)]
    [InlineData(0x0111, SendVerdict.Delivered)]
    [InlineData(0xA700, SendVerdict.Retry)]
    [InlineData(0xA7FF, SendVerdict.Retry)]
    [InlineData(0x0110, SendVerdict.Retry)]
    [InlineData(0xFE00, SendVerdict.Retry)]
    [InlineData(0xA900, SendVerdict.Final)]
    [InlineData(0xA9FF, SendVerdict.Final)]
    [InlineData(0xC000, SendVerdict.Final)]
    [InlineData(0xCFFF, SendVerdict.Final)]
    [InlineData(0x0122, SendVerdict.Final)]
    [InlineData(0x0124, SendVerdict.Final)]
    public void Statuses(int code, SendVerdict expected)
    {
        var outcome = SendClassifier.FromStatus(new DimseStatus((ushort)code), "comment");
        Assert.Equal(expected, outcome.Verdict);
        Assert.Contains("comment", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Association_failures()
    {
        Assert.Equal((SendVerdict.Retry, "AssociationRejectedTransient"),
            Verdict(new AssociationRejectedException(AssociateReject.LocalLimitExceeded())));
        Assert.Equal((SendVerdict.Final, "AssociationRejectedPermanent"),
            Verdict(new AssociationRejectedException(AssociateReject.CalledAeTitleNotRecognized())));
        Assert.Equal((SendVerdict.Retry, "ConnectionFailed"), Verdict(new DicomNetworkException("cannot connect to 127.0.0.1:1: refused")));
        Assert.Equal((SendVerdict.Retry, "Timeout"), Verdict(new DicomNetworkException("no DIMSE response within 120 s")));
        Assert.Equal((SendVerdict.Retry, "AssociationLost"), Verdict(new DicomNetworkException("association ended while waiting for a response: Abort")));
        Assert.Equal((SendVerdict.Retry, "AssociationLost"), Verdict(new IOException("connection reset by peer")));
    }

    private static (SendVerdict, string) Verdict(Exception e)
    {
        var outcome = SendClassifier.FromException(e);
        return (outcome.Verdict, outcome.Reason);
    }
}
