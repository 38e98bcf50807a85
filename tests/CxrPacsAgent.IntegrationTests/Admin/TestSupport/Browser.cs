using System.Drawing;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace CxrPacsAgent.IntegrationTests.Admin.TestSupport;

/// <summary>
/// Debian's chromium, headless, at 1280 x 800, driven through Debian's chromedriver with Selenium (no browser or
/// driver download: both paths are given, so Selenium Manager is never asked).
/// </summary>
internal sealed class Browser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";
    public const int Width = 1280;
    public const int Height = 800;

    private readonly ChromeDriver driver;

    public Browser(Uri baseAddress)
    {
        foreach (var program in new[] { Chromium, ChromeDriver })
        {
            if (!File.Exists(program))
            {
                throw new FileNotFoundException($"{program} is missing: install Debian's chromium and chromium-driver (.ci/run does)", program);
            }
        }
        BaseAddress = baseAddress;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // As root (CI) chromium needs --no-sandbox; /dev/shm is small in containers.
        options.AddArguments("--headless=new", $"--window-size={Width},{Height}", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-extensions", "--lang=en-GB");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        // --window-size counts the window, not the page: grow it until the page itself is Width x Height.
        var inner = (IReadOnlyCollection<object>)driver.ExecuteScript("return [window.innerWidth, window.innerHeight]")!;
        var (innerWidth, innerHeight) = (Convert.ToInt32(inner.First(), CultureInfo.InvariantCulture), Convert.ToInt32(inner.Last(), CultureInfo.InvariantCulture));
        var window = driver.Manage().Window.Size;
        driver.Manage().Window.Size = new Size(window.Width + Width - innerWidth, window.Height + Height - innerHeight);
    }

    public Uri BaseAddress { get; }

    public IWebDriver Driver => driver;

    /// <summary>The page as the browser has it now (the DOM, after the scripts drew it).</summary>
    public string PageSource => driver.PageSource;

    public void Open(string path) => driver.Navigate().GoToUrl(new Uri(BaseAddress, path));

    public void SignIn(string user, string password)
    {
        Open("/admin/login");
        WaitFor(() => driver.FindElements(By.Id("user")).Count == 1, "the sign-in form");
        driver.FindElement(By.Id("user")).SendKeys(user);
        driver.FindElement(By.Id("password")).SendKeys(password);
        driver.FindElement(By.Id("sign-in")).Click();
        WaitFor(() => driver.Url.EndsWith("/admin/", StringComparison.Ordinal) && Page() == "overview", "the overview after signing in");
    }

    /// <summary>Goes to a page of the admin page (#overview, #studies, …) and waits until it is drawn.</summary>
    public void Show(string hash)
    {
        Open("/admin/#" + hash);
        var page = hash.Split('/')[0];
        WaitFor(() => Page() == page, $"page {hash}");
    }

    /// <summary>The page the script last drew (main's data-page), or null.</summary>
    public string? Page() => Try(() => driver.FindElement(By.Id("page")).GetAttribute("data-page"));

    /// <summary>Finds and clicks, again if the page was redrawn in between (it refreshes every second).</summary>
    public void Click(By by) => WaitFor(() => Try(() =>
    {
        driver.FindElement(by).Click();
        return true;
    }), $"clicking {by}");

    /// <summary>Takes a picture of the page, first checking that nothing sticks out sideways at this width.</summary>
    public void Screenshot(string path)
    {
        var widths = (IReadOnlyCollection<object>)driver.ExecuteScript("return [document.documentElement.scrollWidth, window.innerWidth]")!;
        Assert.True(Convert.ToInt64(widths.First(), CultureInfo.InvariantCulture) <= Convert.ToInt64(widths.Last(), CultureInfo.InvariantCulture),
            $"{Path.GetFileName(path)}: the page is wider than the window ({string.Join(" > ", widths)}), so something is cut off");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        driver.GetScreenshot().SaveAsFile(path);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms; returns the time it took, or throws naming what never came.</summary>
    public TimeSpan WaitFor(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"{what} did not show within {watch.Elapsed.TotalSeconds:0.0} s; the page:\n{PageSource}");
            }
            Thread.Sleep(50);
        }
        return watch.Elapsed;
    }

    /// <summary>Null or false where the element went away under us (redrawn); the caller polls again.</summary>
    public static T? Try<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is StaleElementReferenceException or NoSuchElementException or ElementNotInteractableException
                                      or ElementClickInterceptedException)
        {
            return default;
        }
    }

    public void Dispose()
    {
        driver.Quit();
        driver.Dispose();
    }
}
