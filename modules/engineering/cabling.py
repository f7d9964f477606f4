"""Cabling test reports (综合布线工程完工测试报告, F-E07). Written next."""
