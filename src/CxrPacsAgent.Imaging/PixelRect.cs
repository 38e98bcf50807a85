namespace CxrPacsAgent.Imaging;

/// <summary>An axis-aligned pixel rectangle: columns [X, Right), rows [Y, Bottom).</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    public override string ToString() => $"{Width}x{Height}+{X}+{Y}";
}
