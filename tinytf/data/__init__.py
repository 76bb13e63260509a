"""tinytf.data"""
