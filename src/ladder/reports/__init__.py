"""Reports: the annual equality report (HTML, PDF), spreadsheet returns, charts, peers."""
