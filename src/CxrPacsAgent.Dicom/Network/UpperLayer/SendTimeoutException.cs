namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>A write blocked longer than <see cref="UpperLayerOptions.SendTimeout"/>: the peer stopped reading.</summary>
public sealed class SendTimeoutException : IOException
{
    public SendTimeoutException() { }

    public SendTimeoutException(string message) : base(message) { }

    public SendTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
