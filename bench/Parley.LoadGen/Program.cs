Console.Error.WriteLine("Parley.LoadGen: not built yet.");
return 1;
